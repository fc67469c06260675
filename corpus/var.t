# ngx.var: built-in variables, variables made with `set`, and writes.

=== TEST 1: built-in request variables as strings
--- config
location = /v {
    content_by_lua_block {
        ngx.say("uri: ", ngx.var.uri)
        ngx.say("args: ", ngx.var.args)
        ngx.say("arg_name: ", ngx.var.arg_name)
        ngx.say("method: ", ngx.var.request_method)
        ngx.say("missing arg is nil: ", tostring(ngx.var.arg_missing == nil))
    }
}
--- request
GET /v?name=abc&x=1

=== TEST 2: a variable made with set is changed by rewrite_by_lua
--- config
location = /t {
    set $step "config";
    rewrite_by_lua_block { ngx.var.step = ngx.var.step .. ",rewrite" }
    content_by_lua_block {
        ngx.say("step: ", ngx.var.step)
    }
}
--- request
GET /t

=== TEST 3: a number written to ngx.var is read back as a string
--- config
location = /t {
    set $n "";
    content_by_lua_block {
        ngx.var.n = 42
        ngx.say(type(ngx.var.n), " ", ngx.var.n)
    }
}
--- request
GET /t

=== TEST 4: writing a variable that was never declared raises an error
--- config
location = /t {
    content_by_lua_block {
        local ok, err = pcall(function() ngx.var.undeclared = "x" end)
        ngx.say(ok)
        ngx.say(err)
    }
}
--- request
GET /t

=== TEST 5: a request body read from Lua in a POST
--- config
location = /t {
    content_by_lua_block {
        ngx.req.read_body()
        ngx.say(ngx.var.request_method, " ", ngx.req.get_body_data())
    }
}
--- request
POST /t
a=1&b=2
