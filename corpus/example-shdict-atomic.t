# The UI example "shdict-atomic" (src/ui/examples), written by
# `npx tsx src/cli/exampleCorpus.ts`: change the example, not this file.

=== TEST 1: Shared dict: lost update vs incr
--- main_config
worker_processes 1;
--- http_config
lua_shared_dict counters 1m;
--- config
location = /racy {
    content_by_lua_block {
        local counters = ngx.shared.counters
        local n = counters:get("racy") or 0
        ngx.sleep(0.001)
        counters:set("racy", n + 1)
        ngx.say("racy = ", counters:get("racy"))
    }
}

location = /atomic {
    content_by_lua_block {
        local n = ngx.shared.counters:incr("atomic", 1, 0)
        ngx.say("atomic = ", n)
    }
}
--- request
GET /racy
--- concurrency 2

=== TEST 2: Shared dict: lost update vs incr, /atomic
--- main_config
worker_processes 1;
--- http_config
lua_shared_dict counters 1m;
--- config
location = /racy {
    content_by_lua_block {
        local counters = ngx.shared.counters
        local n = counters:get("racy") or 0
        ngx.sleep(0.001)
        counters:set("racy", n + 1)
        ngx.say("racy = ", counters:get("racy"))
    }
}

location = /atomic {
    content_by_lua_block {
        local n = ngx.shared.counters:incr("atomic", 1, 0)
        ngx.say("atomic = ", n)
    }
}
--- request
GET /atomic
--- concurrency 2
