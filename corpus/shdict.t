# lua_shared_dict operations and their documented return values.

=== TEST 1: set, get, add, replace and delete return values
--- http_config
lua_shared_dict store 1m;
--- config
location = /t {
    content_by_lua_block {
        local store = ngx.shared.store
        ngx.say("set: ", tostring(store:set("a", "one")))
        ngx.say("get: ", store:get("a"))
        local ok, err = store:add("a", "two")
        ngx.say("add existing: ", tostring(ok), " ", err)
        ok, err = store:replace("b", "two")
        ngx.say("replace missing: ", tostring(ok), " ", err)
        store:delete("a")
        ngx.say("after delete: ", tostring(store:get("a")))
    }
}
--- request
GET /t

=== TEST 2: incr with and without an initial value, and on a string
--- http_config
lua_shared_dict store 1m;
--- config
location = /t {
    content_by_lua_block {
        local store = ngx.shared.store
        ngx.say("incr missing: ", tostring(store:incr("n", 1)))
        ngx.say("incr with init: ", store:incr("n", 5, 10))
        ngx.say("incr again: ", store:incr("n", -3))
        store:set("s", "text")
        local value, err = store:incr("s", 1)
        ngx.say("incr string: ", tostring(value), " ", err)
    }
}
--- request
GET /t

=== TEST 3: values keep their Lua type and flags come back from get
--- http_config
lua_shared_dict store 1m;
--- config
location = /t {
    content_by_lua_block {
        local store = ngx.shared.store
        store:set("num", 1.5)
        store:set("bool", false)
        store:set("str", "x", 0, 7)
        ngx.say(type(store:get("num")), " ", store:get("num"))
        ngx.say(type(store:get("bool")), " ", tostring(store:get("bool")))
        local value, flags = store:get("str")
        ngx.say(value, " flags=", flags)
    }
}
--- request
GET /t

=== TEST 4: an expired key reads as nil
--- http_config
lua_shared_dict store 1m;
--- config
location = /t {
    content_by_lua_block {
        local store = ngx.shared.store
        store:set("short", "v", 0.01)
        ngx.say("before: ", tostring(store:get("short")))
        ngx.sleep(0.05)
        ngx.say("after: ", tostring(store:get("short")))
    }
}
--- request
GET /t

=== TEST 5: get_keys lists every key and a missing dict is nil
--- http_config
lua_shared_dict store 1m;
--- config
location = /t {
    content_by_lua_block {
        local store = ngx.shared.store
        for _, key in ipairs({ "c", "a", "b" }) do store:set(key, 1) end
        local keys = store:get_keys()
        table.sort(keys)
        ngx.say(table.concat(keys, ","))
        ngx.say("missing dict: ", tostring(ngx.shared.nope))
    }
}
--- request
GET /t

=== TEST 6: data written by one request is seen by the next
--- http_config
lua_shared_dict store 1m;
--- config
location = /t {
    content_by_lua_block {
        local hits = ngx.shared.store:incr("hits", 1, 0)
        ngx.say("hits: ", hits)
    }
}
--- request
GET /t
--- repeat 3
