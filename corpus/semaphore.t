# ngx.semaphore between light threads and requests of one worker.

=== TEST 1: a light thread waits until the entry thread posts
--- config
location = /t {
    content_by_lua_block {
        local sema = require("ngx.semaphore").new()
        local t = ngx.thread.spawn(function()
            local ok, err = sema:wait(1)
            ngx.say("child woke: ", ok, " ", err)
        end)
        ngx.say("count before post: ", sema:count())
        ngx.sleep(0.01)
        sema:post()
        ngx.thread.wait(t)
        ngx.say("count after: ", sema:count())
        local ok, err = sema:wait(0.01)
        ngx.say("wait with nothing posted: ", ok, " ", err)
    }
}
--- request
GET /t

=== TEST 2: a semaphore with resources does not block; post wakes waiters in order
--- config
location = /t {
    content_by_lua_block {
        local sema = require("ngx.semaphore").new(1)
        ngx.say("first wait: ", sema:wait(0))
        local order = {}
        local threads = {}
        for i = 1, 3 do
            threads[i] = ngx.thread.spawn(function()
                sema:wait(1)
                order[#order + 1] = i
            end)
        end
        ngx.say("waiting: ", -sema:count())
        sema:post(3)
        for i = 1, 3 do ngx.thread.wait(threads[i]) end
        ngx.say("woke in order: ", table.concat(order, ","))
    }
}
--- request
GET /t
