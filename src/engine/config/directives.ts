/**
 * The directive table: for each directive of nginx and its lua, ndk and
 * echo modules, where it may appear, how many arguments it takes
 * and what it sets. parse.ts checks a statement against its entry in the
 * order nginx's ngx_conf_handler does.
 */
import type { DirectiveSpec } from "./directiveCall";
import { CORE_DIRECTIVES } from "./coreDirectives";
import { LUA_DIRECTIVES } from "./luaDirectives";
import { upstreamIgnored, upstreamServer } from "./upstreamDirectives";

/** Directives that exist in nginx but that this simulator does not run. */
export const UNSUPPORTED_DIRECTIVES = new Set([
  "geo",
  "split_clients",
  "limit_except",
  "proxy_pass_request_headers",
  "proxy_pass_request_body",
  "proxy_hide_header",
  "proxy_pass_header",
  "proxy_redirect",
  "proxy_intercept_errors",
  "proxy_method",
  "proxy_cache",
  "least_conn",
  "ip_hash",
  "hash",
  "random",
  "fastcgi_pass",
  "uwsgi_pass",
  "scgi_pass",
  "grpc_pass",
  "try_files",
  "types",
  "stream",
  "mail",
  "ssl_certificate",
  "ssl_certificate_key",
  "auth_basic",
  "limit_req",
  "limit_req_zone",
  "limit_conn",
  "limit_conn_zone",
  "balancer_by_lua_block",
  "balancer_by_lua_file",
  "ssl_certificate_by_lua_block",
  "ssl_certificate_by_lua_file",
  "exit_worker_by_lua_block",
  "exit_worker_by_lua_file",
  "server_rewrite_by_lua_block",
  "server_rewrite_by_lua_file",
]);

/** Every supported directive by name. */
export const DIRECTIVES: ReadonlyMap<string, DirectiveSpec> = new Map([
  ...Object.entries(CORE_DIRECTIVES),
  ...Object.entries(LUA_DIRECTIVES),
]);

/** The directives of an upstream block, which take precedence there. */
export const UPSTREAM_DIRECTIVES = new Map<string, DirectiveSpec>([
  ["server", upstreamServer],
  ["keepalive", upstreamIgnored],
  ["keepalive_timeout", upstreamIgnored],
  ["keepalive_requests", upstreamIgnored],
]);
