# The lesson "shdict-memory" (src/ui/lessons), one block per Send, written by
# `npx tsx src/cli/lessonCorpus.ts`: change the lesson, not this file.

=== TEST 1: Shared dict memory and eviction, steps 1, 2
--- main_config
worker_processes 1;
--- http_config
lua_shared_dict small 64k;
--- config
location = /fill {
    content_by_lua_block {
        local small = ngx.shared.small
        local value = string.rep("x", 1000)
        local forcible_sets = 0
        for i = 1, 100 do
            local ok, err, forcible = small:set("key" .. i, value)
            if forcible then forcible_sets = forcible_sets + 1 end
        end
        ngx.say("forcible sets: ", forcible_sets > 0)
        ngx.say("key1 still stored: ", small:get("key1") ~= nil)
        ngx.say("key100 still stored: ", small:get("key100") ~= nil)
        ngx.say("free_space: ", small:free_space(), " of ", small:capacity())
    }
}

location = /safe {
    content_by_lua_block {
        local small = ngx.shared.small
        local value = string.rep("x", 1000)
        for i = 1, 100 do
            local ok, err = small:safe_set("key" .. i, value)
            if not ok then
                ngx.say("safe_set of key", i, " failed: ", err)
                return
            end
        end
        ngx.say("all 100 stored")
    }
}
--- request
GET /fill

=== TEST 2: Shared dict memory and eviction, step 3
--- main_config
worker_processes 1;
--- http_config
lua_shared_dict small 64k;
--- config
location = /fill {
    content_by_lua_block {
        local small = ngx.shared.small
        local value = string.rep("x", 1000)
        local forcible_sets = 0
        for i = 1, 100 do
            local ok, err, forcible = small:set("key" .. i, value)
            if forcible then forcible_sets = forcible_sets + 1 end
        end
        ngx.say("forcible sets: ", forcible_sets > 0)
        ngx.say("key1 still stored: ", small:get("key1") ~= nil)
        ngx.say("key100 still stored: ", small:get("key100") ~= nil)
        ngx.say("free_space: ", small:free_space(), " of ", small:capacity())
    }
}

location = /safe {
    content_by_lua_block {
        local small = ngx.shared.small
        local value = string.rep("x", 1000)
        for i = 1, 100 do
            local ok, err = small:safe_set("key" .. i, value)
            if not ok then
                ngx.say("safe_set of key", i, " failed: ", err)
                return
            end
        end
        ngx.say("all 100 stored")
    }
}
--- request
GET /safe
