# The UI example "cached-time" (src/ui/examples), written by
# `npx tsx src/cli/exampleCorpus.ts`: change the example, not this file.

=== TEST 1: Cached time: ngx.now()
--- main_config
worker_processes 1;
--- config
location = /t {
    content_by_lua_block {
        local t0 = ngx.now()
        local start = os.clock()
        while os.clock() - start < 0.04 do end
        ngx.say("after ~40 ms of CPU work, ngx.now() moved: ",
                ngx.now() > t0)
        ngx.update_time()
        local t1 = ngx.now()
        ngx.say("after ngx.update_time(), it moved >= 0.03 s: ",
                t1 - t0 >= 0.03)
        ngx.sleep(0.1)
        ngx.say("after ngx.sleep(0.1), it moved about 0.1 s more: ",
                ngx.now() - t1 >= 0.099)
    }
}
--- request
GET /t
