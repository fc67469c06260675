# The lesson "timers" (src/ui/lessons), one block per Send, written by
# `npx tsx src/cli/lessonCorpus.ts`: change the lesson, not this file.

=== TEST 1: Timers run in every worker, step 1
--- main_config
worker_processes 2;
--- http_config
init_worker_by_lua_block {
    ngx.timer.at(0, function(premature)
        ngx.log(ngx.NOTICE, "timer ran in worker ", ngx.worker.id())
    end)
}
--- config
location = /t {
    content_by_lua_block {
        ngx.say("served by worker ", ngx.worker.id())
    }
}
--- request
GET /t
--- sort_error_log

=== TEST 2: Timers run in every worker, step 2
--- main_config
worker_processes 2;
--- http_config
init_worker_by_lua_block {
    if ngx.worker.id() == 0 then
        ngx.timer.at(0, function(premature)
            ngx.log(ngx.NOTICE, "timer ran in worker ", ngx.worker.id())
        end)
    end
}
--- config
location = /t {
    content_by_lua_block {
        ngx.say("served by worker ", ngx.worker.id())
    }
}
--- request
GET /t
--- sort_error_log

=== TEST 3: Timers run in every worker, step 3
--- main_config
worker_processes 2;
--- http_config
init_worker_by_lua_block {
    if ngx.worker.id() == 0 then
        ngx.timer.at(0, function(premature)
            ngx.log(ngx.NOTICE, "timer ran in worker ", ngx.worker.id())
        end)
    end
}
--- config
location = /t {
    content_by_lua_block {
        ngx.say("served by worker ", ngx.worker.id())
    }
}
--- request
GET /t
--- concurrency 4
--- sort_error_log
