# Probes: nginx directives mixed with Lua phases.

=== TEST 1: ngx.header with a multi-value header and Content-Type charset
--- config
charset utf-8;
location = /t {
    content_by_lua_block {
        ngx.header["X-Multi"] = { "a", "b" }
        ngx.header.content_type = "text/html"
        ngx.header["Cache-Control"] = "no-cache"
        ngx.header["X-Empty"] = {}
        ngx.say(type(ngx.header["X-Multi"]), " ", ngx.header.content_type)
    }
}
--- request
GET /t

=== TEST 2: ngx.redirect relative, absolute and with status codes
--- config
location = /rel { content_by_lua_block { ngx.redirect("/target?x=1") } }
location = /abs { content_by_lua_block { ngx.redirect("http://example.com/p", 301) } }
location = /r307 { content_by_lua_block { ngx.redirect("/t2", ngx.HTTP_TEMPORARY_REDIRECT) } }
location = /bad {
    content_by_lua_block {
        local ok, err = pcall(ngx.redirect, "/x", 200)
        ngx.say(ok, " ", err)
    }
}
--- requests
GET /rel
GET /abs
GET /r307
GET /bad

=== TEST 3: ngx.exit(403) in access goes to error_page at a Lua location
--- config
error_page 403 /denied;
location = /t {
    access_by_lua_block { ngx.exit(403) }
    content_by_lua_block { ngx.say("never") }
}
location = /denied {
    internal;
    content_by_lua_block {
        ngx.say("denied uri=", ngx.var.uri, " status=", ngx.status)
    }
}
--- request
GET /t

=== TEST 4: rewrite last then break with rewrite_by_lua and $uri
--- config
location /a {
    rewrite ^/a/(.*)$ /b/$1 last;
    rewrite_by_lua_block { ngx.log(ngx.WARN, "a rewrite_by_lua") }
}
location /b {
    rewrite ^/b/(.*)$ /c/$1 break;
    rewrite_by_lua_block { ngx.log(ngx.WARN, "b rewrite_by_lua uri=", ngx.var.uri) }
    content_by_lua_block { ngx.say("b content uri=", ngx.var.uri, " args=", tostring(ngx.var.args)) }
}
--- request
GET /a/x?q=1

=== TEST 5: return with text and variables, and return with a URL
--- config
location = /t { return 202 "uri=$uri arg=$arg_a method=$request_method\n"; }
location = /u { return 302 /elsewhere; }
location = /c { return 418; }
--- requests
GET /t?a=5
GET /u
GET /c

=== TEST 6: set $var read from ngx.var in several phases
--- config
location = /t {
    set $v "one";
    set $w "$v-two";
    rewrite_by_lua_block { ngx.var.v = ngx.var.v .. "+rw" }
    access_by_lua_block { ngx.var.v = ngx.var.v .. "+acc" }
    content_by_lua_block { ngx.say(ngx.var.v, " ", ngx.var.w) }
    log_by_lua_block { ngx.log(ngx.WARN, "log v=", ngx.var.v) }
}
--- request
GET /t

=== TEST 7: header_filter changes ngx.status and headers
--- config
location = /t {
    content_by_lua_block { ngx.say("hello") }
    header_filter_by_lua_block {
        ngx.status = 202
        ngx.header["X-Added"] = "yes"
        ngx.header.content_length = nil
        ngx.header["Content-Type"] = "application/x-probe"
    }
}
--- request
GET /t

=== TEST 8: body_filter appends to the last chunk
--- config
location = /t {
    content_by_lua_block {
        ngx.say("one")
        ngx.say("two")
    }
    header_filter_by_lua_block { ngx.header.content_length = nil }
    body_filter_by_lua_block {
        if ngx.arg[2] then
            ngx.arg[1] = ngx.arg[1] .. "tail\n"
        else
            ngx.arg[1] = string.upper(ngx.arg[1])
        end
    }
}
--- request
GET /t

=== TEST 9: body_filter on a return body and on HEAD
--- config
location = /t {
    return 200 "abc\n";
    body_filter_by_lua_block {
        ngx.arg[1] = ngx.arg[1]:gsub("b", "B")
    }
    header_filter_by_lua_block { ngx.header.content_length = nil }
}
--- requests
GET /t
HEAD /t

=== TEST 10: error_page to a named location with Lua after a 404 from Lua
--- config
error_page 404 = @fallback;
location = /t {
    content_by_lua_block { ngx.exit(404) }
}
location @fallback {
    content_by_lua_block { ngx.say("fallback uri=", ngx.var.uri, " status=", ngx.status) }
}
--- request
GET /t

=== TEST 11: ngx.exec to a location with args then $args
--- config
location = /t {
    rewrite_by_lua_block { ngx.exec("/u", { b = "x y" }) }
}
location = /u {
    content_by_lua_block { ngx.say(ngx.var.uri, " ", ngx.var.args, " ", ngx.var.arg_b) }
}
--- request
GET /t?orig=1

=== TEST 12: add_header and ngx.header together with a 404 from Lua
--- config
location = /t {
    add_header X-Conf conf;
    add_header X-Always always always;
    content_by_lua_block {
        ngx.header["X-Lua"] = "lua"
        ngx.status = 404
        ngx.say("nf")
    }
}
--- request
GET /t

=== TEST 13: regex location captures read as ngx.var[1] and $1 in set
--- config
location ~ ^/u/(\d+)/(?<name>\w+)$ {
    set $id $1;
    content_by_lua_block {
        ngx.say(ngx.var[1], " ", ngx.var[2], " ", ngx.var.id, " ", ngx.var.name, " ", tostring(ngx.var[3]))
    }
}
--- request
GET /u/42/bob

=== TEST 14: map with exact and regex keys read from Lua
--- http_config
map $arg_k $mapped {
    default "other";
    a       "is-a";
    ~^b     "starts-b";
}
--- config
location = /t {
    content_by_lua_block { ngx.say(ngx.var.mapped) }
}
--- requests
GET /t?k=a
GET /t?k=bee
GET /t?k=z

=== TEST 15: rewrite with the redirect flag and a relative target
--- config
location /old {
    rewrite ^/old/(.*)$ /new/$1 redirect;
}
location /perm {
    rewrite ^ /p permanent;
}
--- requests
GET /old/x?y=1
GET /perm

=== TEST 16: ngx.req.set_uri with jump in rewrite_by_lua
--- config
location = /a {
    rewrite_by_lua_block { ngx.req.set_uri("/b", true) }
}
location = /b {
    content_by_lua_block { ngx.say("b uri=", ngx.var.uri, " request_uri=", ngx.var.request_uri, " args=", tostring(ngx.var.args)) }
}
--- request
GET /a?q=1

=== TEST 17: ngx.header reads back after setting, case and underscores
--- config
location = /t {
    content_by_lua_block {
        ngx.header.x_foo_bar = "1"
        ngx.header["X-Other"] = 2
        ngx.header["Set-Cookie"] = { "a=1", "b=2" }
        ngx.say(ngx.header["X-Foo-Bar"], " ", ngx.header.x_other, " ", type(ngx.header.x_other))
        local c = ngx.header.set_cookie
        ngx.say(type(c), " ", type(c) == "table" and #c or c)
        ngx.header.x_other = nil
        ngx.say(tostring(ngx.header.x_other))
    }
}
--- request
GET /t

=== TEST 18: if on an argument before rewrite_by_lua
--- config
location = /t {
    if ($arg_stop) {
        return 403;
    }
    set $seen "yes";
    rewrite_by_lua_block { ngx.log(ngx.WARN, "rewrite seen=", ngx.var.seen) }
    content_by_lua_block { ngx.say("content") }
}
--- requests
GET /t?stop=1
GET /t
