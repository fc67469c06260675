# Probes: Lua APIs and Lua language behaviour seen through ngx.say.

=== TEST 1: escape_uri, unescape_uri and encode_args
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.escape_uri("a b&c=d/é~_.-"))
        ngx.say(ngx.unescape_uri("a+b%20c%2fd%zz%4"))
        ngx.say(ngx.encode_args({ a = 1 }))
        ngx.say(ngx.encode_args({ t = true }))
        ngx.say(ngx.encode_args({ f = false }))
        ngx.say(ngx.encode_args({ m = { "x", "y z" } }))
        ngx.say(ngx.encode_args({}) == "")
        ngx.say(ngx.escape_uri("a b", 0))
    }
}
--- request
GET /t

=== TEST 2: ngx.re.match captures, named captures and jo options
--- config
location = /t {
    content_by_lua_block {
        local m = ngx.re.match("hello 1234 world", [[(\d+)\s+(?<word>\w+)]], "jo")
        ngx.say(m[0], "|", m[1], "|", m[2], "|", m.word)
        local m2 = ngx.re.match("abc", "(x)?(abc)")
        ngx.say(tostring(m2[1]), " ", m2[2])
        local m3, err = ngx.re.match("abc", "z")
        ngx.say(tostring(m3), " ", tostring(err))
        local m4 = ngx.re.match("ABC", "b", "i")
        ngx.say(m4[0])
    }
}
--- request
GET /t

=== TEST 3: ngx.re.gsub and sub with functions and templates
--- config
location = /t {
    content_by_lua_block {
        local s, n = ngx.re.gsub("a1b22c333", [[\d+]], "[$0]")
        ngx.say(s, " ", n)
        s, n = ngx.re.sub("hello world", [[(\w+) (\w+)]], "${2} $1")
        ngx.say(s, " ", n)
        s, n = ngx.re.gsub("abc", "b", function(m) return m[0]:upper() end, "jo")
        ngx.say(s, " ", n)
        s, n = ngx.re.gsub("aaa", "x", "y")
        ngx.say(s, " ", n)
        local it = ngx.re.gmatch("k1=v1,k2=v2", [[(\w+)=(\w+)]])
        while true do
            local m = it()
            if not m then break end
            ngx.say(m[1], ":", m[2])
        end
        ngx.say(ngx.re.find("hello", "l+"))
    }
}
--- request
GET /t

=== TEST 4: string.format and tostring of numbers
--- config
location = /t {
    content_by_lua_block {
        ngx.say(string.format("%5.2f|%d|%s|%x|%05d|%q", 3.14159, 42, 1/3, 255, 7, "a\nb"))
        ngx.say(tostring(10 / 2), " ", 2^53, " ", 1e100, " ", 0.1 + 0.2)
        ngx.say(100000000000000, " ", 123456789012345678)
        ngx.say(tostring(-1/0), " ", math.floor(3.7), " ", 7 % 3, " ", -7 % 3)
        ngx.say(tonumber("0x10"), " ", tonumber("  5  "), " ", tostring(tonumber("5a")), " ", tonumber("1e2"))
        ngx.say(string.format("%s %s", true, nil))
    }
}
--- request
GET /t

=== TEST 5: table.concat, sort, insert and remove edge cases
--- config
location = /t {
    content_by_lua_block {
        local t = { 3, 1, 2 }
        table.sort(t, function(a, b) return a > b end)
        ngx.say(table.concat(t, ","))
        table.insert(t, 1, 9)
        table.insert(t, 5)
        ngx.say(table.concat(t, ",", 2, 4))
        ngx.say(table.remove(t), " ", table.remove(t, 1), " ", #t)
        ngx.say("[", table.concat({}, ","), "]")
        local ok, err = pcall(table.concat, { 1, {}, 3 })
        ngx.say(ok, " ", err)
        ok, err = pcall(table.sort, { 1, "a" })
        ngx.say(ok, " ", err)
        ngx.say(select("#", 1, nil, 3), " ", select(2, "a", "b", "c"))
    }
}
--- request
GET /t

=== TEST 6: pcall and error with tables, levels and non-string values
--- config
location = /t {
    content_by_lua_block {
        local ok, e = pcall(error, { code = 7 })
        ngx.say(ok, " ", type(e), " ", e.code)
        ok, e = pcall(error, "plain", 0)
        ngx.say(e)
        ok, e = pcall(function() error("lvl1") end)
        ngx.say(e)
        ok, e = pcall(function() error("lvl2", 2) end)
        ngx.say(e)
        ok, e = pcall(error)
        ngx.say(ok, " ", tostring(e))
        ok, e = pcall(function() local x = nil; return x.y end)
        ngx.say(e)
        ok, e = xpcall(function() error("boom") end, function(m) return "handled: " .. m end)
        ngx.say(ok, " ", e)
        ok, e = pcall(error, 42)
        ngx.say(type(e), " ", e)
    }
}
--- request
GET /t

=== TEST 7: coroutine.wrap with ngx.sleep inside
--- config
location = /t {
    content_by_lua_block {
        local gen = coroutine.wrap(function()
            for i = 1, 3 do
                ngx.sleep(0.001)
                coroutine.yield(i)
            end
            return "done"
        end)
        ngx.say(gen(), gen(), gen(), gen())
        local co = coroutine.create(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
        ngx.say(coroutine.resume(co, 1))
        ngx.say(coroutine.resume(co, 10))
        ngx.say(coroutine.status(co), " ", coroutine.resume(co))
    }
}
--- request
GET /t

=== TEST 8: ngx.timer.at with arguments writes to a shared dict
--- http_config
lua_shared_dict d 1m;
--- config
location = /start {
    content_by_lua_block {
        local ok, err = ngx.timer.at(0, function(premature, a, b)
            ngx.shared.d:set("r", a .. "+" .. tostring(b) .. " " .. tostring(premature))
        end, "x", 5)
        ngx.say(ok, " ", tostring(err))
    }
}
location = /read {
    content_by_lua_block {
        ngx.sleep(0.05)
        ngx.say(tostring(ngx.shared.d:get("r")))
    }
}
--- requests
GET /start
GET /read

=== TEST 9: shdict incr with init, expire and ttl
--- http_config
lua_shared_dict d 1m;
--- config
location = /t {
    content_by_lua_block {
        local d = ngx.shared.d
        ngx.say(d:incr("n", 1))
        ngx.say(d:incr("n", 5, 0))
        ngx.say(d:incr("n", -2.5))
        d:set("s", "str")
        ngx.say(d:incr("s", 1))
        d:set("e", 1, 10)
        local ttl = d:ttl("e")
        ngx.say(ttl > 9 and ttl <= 10)
        ngx.say(d:ttl("n"))
        ngx.say(d:ttl("missing"))
        ngx.say(d:expire("n", 5))
        ttl = d:ttl("n")
        ngx.say(ttl > 4 and ttl <= 5)
        ngx.say(d:expire("missing", 5))
        ngx.say(d:incr("m", 1, 10, 100))
        ttl = d:ttl("m")
        ngx.say(ttl > 99 and ttl <= 100)
    }
}
--- request
GET /t

=== TEST 10: ngx.ctx across rewrite, access, content and log
--- config
location = /t {
    rewrite_by_lua_block { ngx.ctx.trail = "rewrite" }
    access_by_lua_block { ngx.ctx.trail = ngx.ctx.trail .. ",access" }
    content_by_lua_block {
        ngx.ctx.trail = ngx.ctx.trail .. ",content"
        ngx.say(ngx.ctx.trail)
    }
    header_filter_by_lua_block { ngx.ctx.trail = ngx.ctx.trail .. ",header" }
    log_by_lua_block { ngx.log(ngx.WARN, "ctx: ", ngx.ctx.trail) }
}
--- request
GET /t

=== TEST 11: log_by_lua reads status and request_time relations
--- config
location = /t {
    content_by_lua_block {
        ngx.status = 201
        ngx.say("made")
    }
    log_by_lua_block {
        local rt = tonumber(ngx.var.request_time)
        ngx.log(ngx.WARN, "status=", ngx.var.status, " type=", type(ngx.var.status),
            " rt_ok=", tostring(rt ~= nil and rt >= 0), " ngx.status=", ngx.status)
    }
}
--- request
GET /t

=== TEST 12: ngx.sleep relation with ngx.now and update_time
--- config
location = /t {
    content_by_lua_block {
        local t0 = ngx.now()
        ngx.sleep(0.1)
        local t1 = ngx.now()
        ngx.say(t1 - t0 >= 0.09, " ", t1 - t0 < 0.5)
        ngx.say(math.floor(ngx.now()) == ngx.time())
    }
}
--- request
GET /t

=== TEST 13: error with a number inside a function gets a position
--- config
location = /t {
    content_by_lua_block {
        local ok, e = pcall(function() error(42) end)
        ngx.say(type(e), " ", e)
        ok, e = pcall(function() error(42, 0) end)
        ngx.say(type(e), " ", e)
        ok, e = pcall(function() error(true) end)
        ngx.say(type(e), " ", tostring(e))
    }
}
--- request
GET /t

=== TEST 14: encode_args and escape_uri on reserved characters
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.encode_args({ k = "!*'();:@&=+$,/?#[]~ é" }))
        ngx.say(ngx.escape_uri("!*'();:@&=+$,/?#[]~"))
    }
}
--- request
GET /t

=== TEST 15: ngx.exit with a status nginx has no page for
--- config
location = /t {
    content_by_lua_block { ngx.exit(418) }
}
location = /u {
    content_by_lua_block { ngx.exit(451) }
}
--- requests
GET /t
GET /u
