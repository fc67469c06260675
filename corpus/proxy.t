# proxy_pass to this nginx's own server: the URI sent upstream, the
# headers it adds, what comes back to the client, and a refused connect.

=== TEST 1: a URL with variables sends its own URI, HTTP/1.0, Host and Connection
--- config
location = /t {
    proxy_pass http://127.0.0.1:$server_port/sub?a=1;
}
location = /sub {
    content_by_lua_block {
        ngx.say("uri=", ngx.var.request_uri, " host=", ngx.var.http_host,
                " conn=", ngx.var.http_connection, " proto=", ngx.var.server_protocol,
                " x=", ngx.var.http_x_foo)
    }
}
--- more_headers
X-Foo: bar
--- request
GET /t?b=2

=== TEST 2: a URL without a URI part sends the request's own URI
--- config
location /p/ {
    proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT;
}
location /up/ {
    content_by_lua_block { ngx.say("never") }
}
location = /p/x {
    content_by_lua_block { ngx.say("direct") }
}
location /p/y/ {
    proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/up/;
}
--- request
GET /p/y/z%20w?a=1

=== TEST 3: a static URL replaces the part of the URI the location matched
--- config
location /t/ {
    proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/sub/;
}
location /sub/ {
    content_by_lua_block {
        ngx.say("uri=", ngx.var.request_uri, " host=", ngx.var.http_host)
    }
}
--- request
GET /t/abc?q=1

=== TEST 4: the upstream's status and headers pass through; its Server does not
--- config
location = /t {
    proxy_pass http://127.0.0.1:$server_port/sub;
    header_filter_by_lua_block { ngx.header["X-Filter"] = ngx.status }
}
location = /sub {
    content_by_lua_block {
        ngx.status = 404
        ngx.header["X-Up"] = "yes"
        ngx.header["Server"] = "upstream"
        ngx.say("not here")
    }
}
--- request
GET /t

=== TEST 5: a refused connection gives 502
--- config
location = /t {
    proxy_pass http://127.0.0.1:1/;
}
--- request
GET /t

=== TEST 6: the request body goes upstream
--- config
location = /t {
    proxy_pass http://127.0.0.1:$server_port/sub;
}
location = /sub {
    content_by_lua_block {
        ngx.req.read_body()
        ngx.say(ngx.req.get_method(), " ", ngx.req.get_body_data(),
                " len=", ngx.var.http_content_length, " type=", ngx.var.http_content_type)
    }
}
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- request
POST /t
hello=world

=== TEST 7: access_by_lua runs first; log_by_lua sees the upstream
--- config
location = /t {
    access_by_lua_block { ngx.req.set_header("X-Access", "1") }
    proxy_pass http://127.0.0.1:$server_port/sub;
    log_by_lua_block {
        ngx.log(ngx.WARN, "upstream status ", ngx.var.upstream_status, " addr ", ngx.var.upstream_addr)
    }
}
location = /sub {
    content_by_lua_block { ngx.say("x-access=", ngx.var.http_x_access) ngx.exit(201) }
}
--- request
GET /t

=== TEST 8: ngx.location.capture of a proxied location
--- config
location = /t {
    content_by_lua_block {
        local res = ngx.location.capture("/p", { args = "k=v" })
        ngx.say(res.status, " ", res.body)
    }
}
location = /p {
    proxy_pass http://127.0.0.1:$server_port/sub;
}
location = /sub {
    content_by_lua_block { ngx.say("args=", ngx.var.args) }
}
--- request
GET /t

=== TEST 9: a host name that does not resolve stops nginx -t
--- config
location = /t { proxy_pass http://nosuchhostxyz; }
--- request
GET /t

=== TEST 10: only http:// and https:// URLs
--- config
location = /t { proxy_pass ftp://127.0.0.1; }
--- request
GET /t

=== TEST 11: no URI part in a regex location
--- config
location ~ ^/t { proxy_pass http://127.0.0.1:80/x; }
--- request
GET /t

=== TEST 12: proxy_set_header goes first, replaces a default, and "" drops a header
--- config
proxy_set_header X-Real-IP $remote_addr;
location = /t {
    proxy_set_header X-Up-Host $proxy_host;
    proxy_set_header Host $host;
    proxy_set_header User-Agent "";
    proxy_pass http://127.0.0.1:$server_port/sub;
}
location = /sub {
    content_by_lua_block { ngx.print(ngx.req.raw_header()) }
}
--- more_headers
X-Foo: bar
--- request
GET /t

=== TEST 13: the outer level's proxy_set_header applies when a location has none
--- config
proxy_set_header X-Real-IP $remote_addr;
location = /t {
    proxy_http_version 1.1;
    proxy_pass http://127.0.0.1:$server_port/sub;
}
location = /sub {
    content_by_lua_block {
        ngx.say(ngx.var.server_protocol)
        ngx.flush(true)
        ngx.print(ngx.req.raw_header())
    }
}
--- request
GET /t

=== TEST 14: an upstream block's servers take turns, each request on its own
--- http_config
upstream backend {
    server 127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    server 127.0.0.1:$TEST_NGINX_RAND_PORT_2;
    keepalive 8;
}
server {
    listen 127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    location / { content_by_lua_block { ngx.say("one ", ngx.var.uri, " ", ngx.var.http_host) } }
}
server {
    listen 127.0.0.1:$TEST_NGINX_RAND_PORT_2;
    location / { content_by_lua_block { ngx.say("two ", ngx.var.uri) } }
}
--- config
location /t {
    proxy_pass http://backend;
    log_by_lua_block { ngx.log(ngx.WARN, "peer ", ngx.var.upstream_addr == ngx.var.server_addr .. ":" .. ngx.var.server_port) }
}
--- requests
GET /t/a
GET /t/b
GET /t/c

=== TEST 15: a server that refuses is skipped for the next one
--- http_config
upstream backend {
    server 127.0.0.1:1;
    server 127.0.0.1:$TEST_NGINX_RAND_PORT_1;
}
server {
    listen 127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    location / { content_by_lua_block { ngx.say("up ", ngx.var.uri) } }
}
--- config
location = /t {
    proxy_pass http://backend;
}
--- request
GET /t

=== TEST 16: an upstream without servers stops nginx -t
--- http_config
upstream backend {
}
--- config
location = /t { proxy_pass http://backend; }
--- request
GET /t
