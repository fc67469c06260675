# The UI example "privileged-agent" (src/ui/examples), written by
# `npx tsx src/cli/exampleCorpus.ts`: change the example, not this file.

=== TEST 1: Processes and the privileged agent
--- main_config
worker_processes 2;
--- http_config
init_by_lua_block {
    init_type = require("ngx.process").type()
    ngx.log(ngx.NOTICE, "init_by_lua runs in the ", init_type)
    assert(require("ngx.process").enable_privileged_agent())
}

init_worker_by_lua_block {
    local process = require("ngx.process")
    ngx.log(ngx.NOTICE, "init_worker: type=", process.type(),
            " worker.id=", tostring(ngx.worker.id()))
    if process.type() == "privileged agent" then
        ngx.timer.at(0, function()
            ngx.log(ngx.NOTICE, "a timer in the ", process.type())
        end)
    end
}
--- config
location = /t {
    content_by_lua_block {
        local process = require("ngx.process")
        ngx.say("init_by_lua saw type = ", init_type)
        ngx.say("content sees type = ", process.type(),
                ", worker id = ", ngx.worker.id())
    }
}
--- request
GET /t
--- concurrency 2
