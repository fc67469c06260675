# ngx.timer.at: when callbacks run, their arguments, and shutdown.

=== TEST 1: a zero-delay timer gets its extra arguments
--- config
location = /t {
    content_by_lua_block {
        local ok = ngx.timer.at(0, function(premature, a, b)
            ngx.log(ngx.NOTICE, "timer: premature=", tostring(premature),
                    " args=", a, ",", b)
        end, "x", 2)
        ngx.say("scheduled: ", tostring(ok))
    }
}
--- request
GET /t

=== TEST 2: a timer can sleep and write to a shared dict
--- http_config
lua_shared_dict store 1m;
--- config
location = /start {
    content_by_lua_block {
        ngx.timer.at(0, function()
            ngx.sleep(0.05)
            ngx.shared.store:set("done", "yes")
        end)
        ngx.say("started")
    }
}
location = /check {
    content_by_lua_block {
        ngx.say("done: ", tostring(ngx.shared.store:get("done")))
    }
}
--- steps
GET /start
sleep 0.3
GET /check

=== TEST 3: a pending timer runs early with premature=true at shutdown
--- config
location = /t {
    content_by_lua_block {
        ngx.timer.at(60, function(premature)
            ngx.log(ngx.NOTICE, "long timer: premature=", tostring(premature))
        end)
        ngx.say("scheduled")
    }
}
--- request
GET /t

=== TEST 4: a negative delay is accepted
--- config
location = /t {
    content_by_lua_block {
        local ok, err = pcall(ngx.timer.at, -1, function() end)
        ngx.say(tostring(ok), " ", err)
    }
}
--- request
GET /t

=== TEST 5: the log phase runs before a zero-delay timer
--- config
location = /t {
    content_by_lua_block {
        ngx.timer.at(0, function() ngx.log(ngx.NOTICE, "in timer") end)
        ngx.say("ok")
    }
    log_by_lua_block { ngx.log(ngx.NOTICE, "in log phase") }
}
--- request
GET /t
