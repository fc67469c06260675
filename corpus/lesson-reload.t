# The lesson "reload" (src/ui/lessons), one block per Send, written by
# `npx tsx src/cli/lessonCorpus.ts`: change the lesson, not this file.

=== TEST 1: Reload: new workers, old timers, steps 1, 2, 3
--- main_config
worker_processes 1;
--- http_config
init_worker_by_lua_block {
    ngx.log(ngx.NOTICE, "worker started")
    ngx.timer.at(5, function(premature)
        ngx.log(ngx.NOTICE, "5 s timer fired, premature = ", premature)
    end)
}
--- config
location = /t {
    content_by_lua_block {
        ngx.say("served by worker ", ngx.worker.id())
    }
}
--- steps
GET /t
reload
GET /t
--- sort_error_log
