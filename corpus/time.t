# Cached time: ngx.now() and ngx.time() read a cache that nginx refreshes
# once per event loop iteration, by ngx.update_time() and after a sleep.

=== TEST 1: ngx.now() stays the same across busy CPU work
--- config
location = /t {
    content_by_lua_block {
        local t0 = ngx.now()
        local start = os.clock()
        while os.clock() - start < 0.03 do end
        ngx.say("unchanged: ", tostring(ngx.now() == t0))
        ngx.update_time()
        ngx.say("after update_time: ", tostring(ngx.now() > t0))
    }
}
--- request
GET /t

=== TEST 2: ngx.time() is the cached ngx.now() without milliseconds
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.time() == math.floor(ngx.now()))
    }
}
--- request
GET /t

=== TEST 3: ngx.sleep refreshes the cached time
--- config
location = /t {
    content_by_lua_block {
        local t0 = ngx.now()
        ngx.sleep(0.05)
        ngx.say("advanced at least 40 ms: ", tostring(ngx.now() - t0 >= 0.04))
    }
}
--- request
GET /t

=== TEST 4: ngx.sleep(0) yields and returns
--- config
location = /t {
    content_by_lua_block {
        ngx.sleep(0)
        ngx.say("back after sleep(0)")
    }
}
--- request
GET /t

=== TEST 5: fixed-time formatting helpers
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.http_time(0))
        ngx.say(ngx.cookie_time(86400))
        ngx.say(ngx.parse_http_time("Thu, 01 Jan 1970 00:01:40 GMT"))
        ngx.say(ngx.utctime():match("^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d$") ~= nil)
    }
}
--- request
GET /t
