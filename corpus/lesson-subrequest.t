# The lesson "subrequest" (src/ui/lessons), one block per Send, written by
# `npx tsx src/cli/lessonCorpus.ts`: change the lesson, not this file.

=== TEST 1: Subrequests with ngx.location.capture, step 1
--- main_config
worker_processes 1;
--- config
location = /sub {
    content_by_lua_block {
        ngx.sleep(0.1)
        ngx.say("sub got x=", ngx.var.arg_x)
    }
}

location = /one {
    content_by_lua_block {
        local res = ngx.location.capture("/sub", { args = { x = 1 } })
        ngx.say("status ", res.status, ", body: ", res.body)
    }
}

location = /multi {
    content_by_lua_block {
        local t0 = ngx.now()
        local r1, r2 = ngx.location.capture_multi({
            { "/sub", { args = "x=1" } },
            { "/sub", { args = "x=2" } },
        })
        ngx.print(r1.body, r2.body)
        ngx.say("in parallel: ", ngx.now() - t0 < 0.15)
    }
}
--- request
GET /one

=== TEST 2: Subrequests with ngx.location.capture, step 2
--- main_config
worker_processes 1;
--- config
location = /sub {
    content_by_lua_block {
        ngx.sleep(0.1)
        ngx.say("sub got x=", ngx.var.arg_x)
    }
}

location = /one {
    content_by_lua_block {
        local res = ngx.location.capture("/sub", { args = { x = 1 } })
        ngx.say("status ", res.status, ", body: ", res.body)
    }
}

location = /multi {
    content_by_lua_block {
        local t0 = ngx.now()
        local r1, r2 = ngx.location.capture_multi({
            { "/sub", { args = "x=1" } },
            { "/sub", { args = "x=2" } },
        })
        ngx.print(r1.body, r2.body)
        ngx.say("in parallel: ", ngx.now() - t0 < 0.15)
    }
}
--- request
GET /multi

=== TEST 3: Subrequests with ngx.location.capture, step 3
--- main_config
worker_processes 1;
--- config
location = /sub {
    content_by_lua_block {
        ngx.sleep(0.1)
        ngx.say("sub got x=", ngx.var.arg_x)
    }
}

location = /one {
    content_by_lua_block {
        local res = ngx.location.capture("/sub", { args = { x = 1 } })
        ngx.say("status ", res.status, ", body: ", res.body)
    }
}

location = /multi {
    content_by_lua_block {
        local t0 = ngx.now()
        local r1, r2 = ngx.location.capture_multi({
            { "/sub", { args = "x=1" } },
            { "/sub", { args = "x=2" } },
        })
        ngx.print(r1.body, r2.body)
        ngx.say("in parallel: ", ngx.now() - t0 < 0.15)
    }
}
--- request
GET /sub
