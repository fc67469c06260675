# The request pipeline: which handlers run, in which order, and what
# ngx.get_phase() returns in each of them.

=== TEST 1: ngx.ctx collects the phases a request went through
--- config
location = /t {
    rewrite_by_lua_block { ngx.ctx.seen = { "rewrite" } }
    access_by_lua_block { table.insert(ngx.ctx.seen, "access") }
    content_by_lua_block {
        table.insert(ngx.ctx.seen, "content")
        ngx.say(table.concat(ngx.ctx.seen, " > "))
    }
    log_by_lua_block {
        table.insert(ngx.ctx.seen, "log")
        ngx.log(ngx.NOTICE, "phases: ", table.concat(ngx.ctx.seen, " > "))
    }
}
--- request
GET /t

=== TEST 2: ngx.get_phase() names the running phase
--- config
location = /t {
    set_by_lua_block $set_phase { return ngx.get_phase() }
    rewrite_by_lua_block { ngx.ctx.rewrite = ngx.get_phase() }
    access_by_lua_block { ngx.ctx.access = ngx.get_phase() }
    content_by_lua_block {
        ngx.say("set: ", ngx.var.set_phase)
        ngx.say("rewrite: ", ngx.ctx.rewrite)
        ngx.say("access: ", ngx.ctx.access)
        ngx.say("content: ", ngx.get_phase())
    }
    header_filter_by_lua_block {
        ngx.log(ngx.NOTICE, "header filter phase: ", ngx.get_phase())
    }
    log_by_lua_block {
        ngx.log(ngx.NOTICE, "log phase: ", ngx.get_phase())
    }
}
--- request
GET /t

=== TEST 3: a header set in header_filter_by_lua reaches the client
--- config
location = /t {
    content_by_lua_block { ngx.print("body") }
    header_filter_by_lua_block {
        ngx.header["X-Filtered"] = "yes"
        ngx.header.content_length = nil
    }
}
--- request
GET /t

=== TEST 4: body_filter_by_lua rewrites every chunk and sees eof once
--- config
location = /t {
    content_by_lua_block {
        ngx.say("one")
        ngx.say("two")
    }
    body_filter_by_lua_block {
        ngx.arg[1] = string.upper(ngx.arg[1])
        if ngx.arg[2] then
            ngx.log(ngx.NOTICE, "body filter saw eof")
        end
    }
}
--- request
GET /t

=== TEST 5: rewrite_by_lua in the server block is inherited by a location
--- config
rewrite_by_lua_block { ngx.ctx.from_server = true }
location = /t {
    content_by_lua_block {
        ngx.say("server rewrite ran: ", tostring(ngx.ctx.from_server))
    }
}
--- request
GET /t

=== TEST 6: internal location: 404 for the client, reachable by ngx.exec and capture
--- config
location = /secret {
    internal;
    content_by_lua_block { ngx.say("secret") }
}
location = /t {
    content_by_lua_block {
        local res = ngx.location.capture("/secret")
        ngx.say("capture: ", res.status, " ", res.body)
    }
}
location = /go {
    content_by_lua_block { ngx.exec("/secret") }
}
--- requests
GET /secret
GET /t
GET /go
