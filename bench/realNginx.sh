#!/usr/bin/env bash
# The reference numbers for BENCHMARKS.md: Debian's nginx + lua-nginx-module
# (unpacked privately by ../shared/oracle/setup-real) serving the same
# three-phase Lua handler as bench/engineBench.ts, measured with wrk on
# 127.0.0.1, plus a shared dict incr loop timed inside one request.
#
# Run: bash bench/realNginx.sh   (needs wrk: apt-get install -y wrk)
set -euo pipefail
ROOT="${ORACLE_NGINX_ROOT:-/tmp/oracle-nginx}"
PORT="${BENCH_PORT:-18280}"
if [ ! -x "$ROOT/usr/sbin/nginx" ]; then
  ORACLE_NGINX_ROOT="$ROOT" "$(dirname "$0")/../../shared/oracle/setup-real"
fi
PREFIX="$(mktemp -d /tmp/bench-nginx.XXXXXX)"
mkdir -p "$PREFIX/logs" "$PREFIX/conf" "$PREFIX/tmp"

run_with_workers() {
  local workers="$1"
  cat > "$PREFIX/conf/nginx.conf" <<CONF
load_module $ROOT/usr/lib/nginx/modules/ndk_http_module.so;
load_module $ROOT/usr/lib/nginx/modules/ngx_http_lua_module.so;
worker_processes $workers;
error_log logs/error.log error;
pid logs/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    lua_package_path "$ROOT/usr/share/lua/5.1/?.lua;;";
    lua_shared_dict counters 10m;
    server {
        listen 127.0.0.1:$PORT;
        location = /t {
            rewrite_by_lua_block { ngx.ctx.n = 1 }
            access_by_lua_block { ngx.ctx.n = ngx.ctx.n + 1 }
            content_by_lua_block { ngx.say("n=", ngx.ctx.n) }
        }
        location = /incr {
            content_by_lua_block {
                local d = ngx.shared.counters
                ngx.update_time()
                local t0 = ngx.now()
                for i = 1, 1000000 do d:incr("n", 1, 0) end
                ngx.update_time()
                ngx.say(math.floor(1000000 / (ngx.now() - t0)))
            }
        }
    }
}
CONF
  LD_LIBRARY_PATH="$ROOT/usr/lib/x86_64-linux-gnu" "$ROOT/usr/sbin/nginx" -p "$PREFIX" -c conf/nginx.conf
  sleep 0.5
  echo "real nginx, $workers worker(s), wrk -t2 -c16 -d5s on /t:"
  wrk -t2 -c16 -d5s "http://127.0.0.1:$PORT/t" | grep -E "Requests/sec"
  if [ "$workers" = 1 ]; then
    echo "real nginx, shared dict incr ops/s in one worker: $(curl -s "http://127.0.0.1:$PORT/incr")"
  fi
  LD_LIBRARY_PATH="$ROOT/usr/lib/x86_64-linux-gnu" "$ROOT/usr/sbin/nginx" -p "$PREFIX" -c conf/nginx.conf -s quit
  sleep 0.5
}

run_with_workers 1
run_with_workers 4
rm -rf "$PREFIX"
