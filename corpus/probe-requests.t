# Probes: request handling that OpenResty users commonly rely on.

=== TEST 1: get_post_args after read_body with a form body
--- config
location = /t {
    content_by_lua_block {
        ngx.req.read_body()
        local args, err = ngx.req.get_post_args()
        local keys = {}
        for k in pairs(args) do keys[#keys + 1] = k end
        table.sort(keys)
        for _, k in ipairs(keys) do
            local v = args[k]
            if type(v) == "table" then v = table.concat(v, ",") end
            ngx.say(k, "=", tostring(v))
        end
        ngx.say("err: ", tostring(err))
    }
}
--- request
POST /t
a=1&b=hello+world&a=2&c=%41%42&flag&empty=
--- more_headers
Content-Type: application/x-www-form-urlencoded

=== TEST 2: get_post_args without read_body is an error
--- config
location = /t {
    content_by_lua_block {
        local ok, err = pcall(ngx.req.get_post_args)
        ngx.say(ok, " ", err)
    }
}
--- request
POST /t
a=1
--- more_headers
Content-Type: application/x-www-form-urlencoded

=== TEST 3: get_uri_args with empty, repeated, encoded and valueless args
--- config
location = /t {
    content_by_lua_block {
        local args = ngx.req.get_uri_args()
        local keys = {}
        for k in pairs(args) do keys[#keys + 1] = k end
        table.sort(keys)
        for _, k in ipairs(keys) do
            local v = args[k]
            if type(v) == "table" then
                local parts = {}
                for i, x in ipairs(v) do parts[i] = tostring(x) end
                v = "{" .. table.concat(parts, ",") .. "}"
            end
            ngx.say("[", k, "]=", tostring(v))
        end
    }
}
--- request
GET /t?a=1&a=2&b=&c&d=%20x%2By&e+f=g+h&&=z&a=3

=== TEST 4: get_uri_args max args and the truncated error
--- config
location = /t {
    content_by_lua_block {
        local args, err = ngx.req.get_uri_args(2)
        local n = 0
        for _ in pairs(args) do n = n + 1 end
        ngx.say(n, " ", tostring(err))
        local all = ngx.req.get_uri_args(0)
        n = 0
        for _ in pairs(all) do n = n + 1 end
        ngx.say(n)
    }
}
--- request
GET /t?a=1&b=2&c=3&d=4

=== TEST 5: set_uri_args with a table then $args and $arg_x
--- config
location = /t {
    rewrite_by_lua_block {
        ngx.req.set_uri_args({ x = "hello world" })
    }
    content_by_lua_block {
        ngx.say("args: ", ngx.var.args)
        ngx.say("arg_x: ", ngx.var.arg_x)
        ngx.say("is_args: ", ngx.var.is_args)
        ngx.say("request_uri: ", ngx.var.request_uri)
    }
}
location = /b {
    content_by_lua_block {
        ngx.req.set_uri_args({ y = true })
        ngx.say("args: ", ngx.var.args, " arg_y: ", tostring(ngx.var.arg_y))
    }
}
--- requests
GET /t?old=1
GET /b

=== TEST 6: set_uri_args with a string then get_uri_args
--- config
location = /t {
    content_by_lua_block {
        ngx.req.set_uri_args("a=1&b=%2F")
        local args = ngx.req.get_uri_args()
        ngx.say(ngx.var.args, " ", args.a, " ", args.b)
    }
}
--- request
GET /t

=== TEST 7: HEAD request to a Lua location sends headers but no body
--- config
location = /t {
    content_by_lua_block {
        ngx.header["X-Method"] = ngx.req.get_method()
        ngx.say("body")
    }
}
--- request
HEAD /t

=== TEST 8: unknown location answers 404
--- config
location = /t {
    return 200 "ok\n";
}
--- request
GET /nope

=== TEST 9: location matching order: exact, ^~, regex, prefix
--- config
location = /a { return 200 "exact\n"; }
location ^~ /a/static { return 200 "prefix-stop\n"; }
location ~ \.php$ { return 200 "regex-php\n"; }
location ~* \.PNG$ { return 200 "regex-png\n"; }
location /a { return 200 "prefix-a\n"; }
location /a/long/ { return 200 "prefix-long\n"; }
--- requests
GET /a
GET /a/static/x.php
GET /a/x.php
GET /a/long/x.png
GET /a/long/y
GET /ab

=== TEST 10: second server block on another port
--- http_config
server {
    listen 127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    location / {
        return 200 "second $server_port\n";
    }
}
--- config
location = /t {
    content_by_lua_block {
        local sock = ngx.socket.tcp()
        local ok, err = sock:connect("127.0.0.1", tonumber(ngx.var.server_port) + 1)
        ngx.say("connect: ", tostring(ok), " ", tostring(err))
        sock:send("GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        local line = sock:receive("*l")
        ngx.say(line)
        sock:close()
    }
}
--- request
GET /t

=== TEST 11: nested locations
--- config
location /outer/ {
    location /outer/inner/ {
        content_by_lua_block { ngx.say("inner ", ngx.var.uri) }
    }
    content_by_lua_block { ngx.say("outer ", ngx.var.uri) }
}
--- requests
GET /outer/x
GET /outer/inner/y

=== TEST 12: ngx.req.get_headers with repeated headers and max
--- config
location = /t {
    content_by_lua_block {
        local h = ngx.req.get_headers()
        local v = h["x-multi"]
        ngx.say(type(v), " ", type(v) == "table" and table.concat(v, "|") or v)
        ngx.say(h.x_multi == nil, " ", h["X-Multi"] ~= nil)
        local h2, err = ngx.req.get_headers(1)
        ngx.say(tostring(err))
    }
}
--- request
GET /t
--- more_headers
X-Multi: a
X-Multi: b

=== TEST 13: get_post_args with an empty key, max args and a valueless repeat
--- config
location = /t {
    content_by_lua_block {
        ngx.req.read_body()
        local args, err = ngx.req.get_post_args(3)
        local keys = {}
        for k in pairs(args) do keys[#keys + 1] = k end
        table.sort(keys)
        for _, k in ipairs(keys) do
            local v = args[k]
            if type(v) == "table" then
                local parts = {}
                for i, x in ipairs(v) do parts[i] = tostring(x) end
                v = "{" .. table.concat(parts, ",") .. "}"
            end
            ngx.say("[", k, "]=", tostring(v))
        end
        ngx.say("err: ", tostring(err))
    }
}
--- request
POST /t
=e&a=1&a&b=2&c=3
--- more_headers
Content-Type: application/x-www-form-urlencoded

=== TEST 14: $arg_ names are case-insensitive and need an equals sign
--- config
location = /t {
    content_by_lua_block {
        ngx.say(tostring(ngx.var.arg_foo), " ", tostring(ngx.var.arg_bar), " ", tostring(ngx.var.arg_baz))
    }
}
--- request
GET /t?FOO=1&bar&baz=&bar=2
