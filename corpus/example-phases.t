# The UI example "phases" (src/ui/examples), written by
# `npx tsx src/cli/exampleCorpus.ts`: change the example, not this file.

=== TEST 1: Request phases
--- main_config
worker_processes 1;
--- config
location = /t {
    rewrite_by_lua_block {
        ngx.log(ngx.NOTICE, "rewrite")
    }
    access_by_lua_block {
        ngx.log(ngx.NOTICE, "access")
    }
    content_by_lua_block {
        ngx.say("hello from content")
        ngx.log(ngx.NOTICE, "content: after ngx.say")
    }
    header_filter_by_lua_block {
        ngx.log(ngx.NOTICE, "header_filter: status=", ngx.status)
    }
    body_filter_by_lua_block {
        local chunk = string.gsub(ngx.arg[1], "\n", "\\n")
        ngx.log(ngx.NOTICE, "body_filter: chunk=[", chunk, "] eof=", ngx.arg[2])
    }
    log_by_lua_block {
        ngx.log(ngx.NOTICE, "log: status=", ngx.status)
    }
}
--- request
GET /t
