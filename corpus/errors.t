# Lua errors: what the client receives and what the error log says.

=== TEST 1: error() in content before output gives a 500 page
--- config
location = /t {
    content_by_lua_block {
        error("content failed")
    }
}
--- request
GET /t

=== TEST 2: error() in rewrite_by_lua gives a 500 page
--- config
location = /t {
    rewrite_by_lua_block { error("rewrite failed") }
    content_by_lua_block { ngx.say("not reached") }
}
--- request
GET /t

=== TEST 3: error() after output cuts the body short
--- config
location = /t {
    content_by_lua_block {
        ngx.say("partial")
        ngx.flush(true)
        error("late failure")
    }
}
--- request
GET /t

=== TEST 4: pcall catches an error with its position
--- config
location = /t {
    content_by_lua_block {
        local ok, err = pcall(function() error("caught") end)
        ngx.say(tostring(ok), " ", err)
        ok, err = pcall(error, { code = 1 })
        ngx.say(tostring(ok), " ", type(err))
    }
}
--- request
GET /t

=== TEST 5: ngx.say in log_by_lua is disabled
--- config
location = /t {
    content_by_lua_block { ngx.say("ok") }
    log_by_lua_block {
        local ok, err = pcall(ngx.say, "late")
        ngx.log(ngx.NOTICE, "say in log: ", tostring(ok), " ", err)
    }
}
--- request
GET /t

=== TEST 6: an unknown directive stops nginx from starting
--- config
location = /t {
    no_such_directive on;
}
--- request
GET /t

=== TEST 7: a Lua syntax error in content_by_lua_block
--- config
location = /t {
    content_by_lua_block {
        ngx.say("unclosed"
    }
}
--- request
GET /t
