# The UI example "var" (src/ui/examples), written by
# `npx tsx src/cli/exampleCorpus.ts`: change the example, not this file.

=== TEST 1: ngx.var across phases
--- main_config
worker_processes 1;
--- config
location = /t {
    set $foo "set";
    rewrite_by_lua_block {
        ngx.log(ngx.NOTICE, "rewrite reads $foo = ", ngx.var.foo)
        ngx.var.foo = ngx.var.foo .. " + rewrite"
    }
    access_by_lua_block {
        local before = ngx.var.foo
        ngx.sleep(0.01)
        ngx.var.foo = before .. " + access"
    }
    echo "foo = $foo";
}
--- request
GET /t
--- concurrency 2
