# The lesson "thread" (src/ui/lessons), one block per Send, written by
# `npx tsx src/cli/lessonCorpus.ts`: change the lesson, not this file.

=== TEST 1: ngx.thread: waits side by side, step 1
--- main_config
worker_processes 1;
--- config
location = /threads {
    content_by_lua_block {
        local function fetch(name, seconds)
            ngx.sleep(seconds)
            return name .. " done"
        end
        local t0 = ngx.now()
        local a = ngx.thread.spawn(fetch, "a", 0.2)
        local b = ngx.thread.spawn(fetch, "b", 0.3)
        local _, result_a = ngx.thread.wait(a)
        local _, result_b = ngx.thread.wait(b)
        ngx.say(result_a, ", ", result_b)
        ngx.say("took under 0.45 s: ", ngx.now() - t0 < 0.45)
    }
}

location = /sequential {
    content_by_lua_block {
        local t0 = ngx.now()
        ngx.sleep(0.2)
        ngx.sleep(0.3)
        ngx.say("took under 0.45 s: ", ngx.now() - t0 < 0.45)
    }
}
--- request
GET /threads

=== TEST 2: ngx.thread: waits side by side, step 2
--- main_config
worker_processes 1;
--- config
location = /threads {
    content_by_lua_block {
        local function fetch(name, seconds)
            ngx.sleep(seconds)
            return name .. " done"
        end
        local t0 = ngx.now()
        local a = ngx.thread.spawn(fetch, "a", 0.2)
        local b = ngx.thread.spawn(fetch, "b", 0.3)
        local _, result_a = ngx.thread.wait(a)
        local _, result_b = ngx.thread.wait(b)
        ngx.say(result_a, ", ", result_b)
        ngx.say("took under 0.45 s: ", ngx.now() - t0 < 0.45)
    }
}

location = /sequential {
    content_by_lua_block {
        local t0 = ngx.now()
        ngx.sleep(0.2)
        ngx.sleep(0.3)
        ngx.say("took under 0.45 s: ", ngx.now() - t0 < 0.45)
    }
}
--- request
GET /sequential

=== TEST 3: ngx.thread: waits side by side, step 3
--- main_config
worker_processes 1;
--- config
location = /threads {
    content_by_lua_block {
        local function fetch(name, seconds)
            ngx.sleep(seconds)
            return name .. " done"
        end
        local t0 = ngx.now()
        local a = ngx.thread.spawn(fetch, "a", 0.2)
        local b = ngx.thread.spawn(fetch, "b", 0.3)
        local _, result_a = ngx.thread.wait(a)
        local _, result_b = ngx.thread.wait(b)
        ngx.say(result_a, ", ", result_b)
        ngx.say("took under 0.45 s: ", ngx.now() - t0 < 0.45)
    }
}

location = /sequential {
    content_by_lua_block {
        local t0 = ngx.now()
        ngx.sleep(0.2)
        ngx.sleep(0.3)
        ngx.say("took under 0.45 s: ", ngx.now() - t0 < 0.45)
    }
}
--- request
GET /threads
--- concurrency 2
