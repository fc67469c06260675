# Lua 5.1 features OpenResty code still relies on.

=== TEST 1: Lua 5.1 module() with package.seeall
--- user_files
>>> old/style.lua
module("old.style", package.seeall)
function greet(who) return "hello, " .. who .. " from " .. _NAME end
--- config
location = /t {
    content_by_lua_block {
        local m = require("old.style")
        ngx.say(m.greet("you"))
        ngx.say(m == old.style, " ", package.loaded["old.style"] == m)
        ngx.say(type(greet))
    }
}
--- request
GET /t

=== TEST 2: setfenv/getfenv, unpack, loadstring, table.getn, math.mod
--- config
location = /t {
    content_by_lua_block {
        local env = { x = 42 }
        local f = loadstring("return x")
        setfenv(f, env)
        ngx.say("setfenv: ", f(), " getfenv: ", getfenv(f) == env)
        ngx.say("unpack: ", unpack({1, 2, 3}))
        ngx.say("table.getn: ", table.getn({1, 2, 3}), " math.mod: ", math.mod(7, 3))
        ngx.say("select('#'): ", select("#", nil, nil))
    }
}
--- request
GET /t
