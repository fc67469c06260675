# ngx.exit with different codes in different phases, and what the client
# receives.

=== TEST 1: ngx.exit(404) in rewrite_by_lua sends nginx's 404 page
--- config
location = /t {
    rewrite_by_lua_block { ngx.exit(ngx.HTTP_NOT_FOUND) }
    content_by_lua_block { ngx.say("not reached") }
}
--- request
GET /t

=== TEST 2: ngx.exit(503) in access_by_lua sends nginx's 503 page
--- config
location = /t {
    access_by_lua_block { ngx.exit(503) }
    content_by_lua_block { ngx.say("not reached") }
}
--- request
GET /t

=== TEST 3: ngx.exit(444) in access_by_lua closes the connection
--- config
location = /t {
    access_by_lua_block { ngx.exit(444) }
    content_by_lua_block { ngx.say("not reached") }
}
--- request
GET /t

=== TEST 4: ngx.status then ngx.exit(ngx.OK) in content keeps the status
--- config
location = /t {
    content_by_lua_block {
        ngx.status = 201
        ngx.say("created")
        ngx.exit(ngx.OK)
    }
}
--- request
GET /t

=== TEST 5: ngx.exit(ngx.HTTP_OK) after output in access ends the request
--- config
location = /t {
    access_by_lua_block {
        ngx.say("from access")
        ngx.exit(ngx.HTTP_OK)
    }
    content_by_lua_block { ngx.say("not reached") }
}
--- request
GET /t

=== TEST 6: the log phase still runs after ngx.exit(403)
--- config
location = /t {
    access_by_lua_block { ngx.exit(ngx.HTTP_FORBIDDEN) }
    content_by_lua_block { ngx.say("not reached") }
    log_by_lua_block { ngx.log(ngx.NOTICE, "log phase, status ", ngx.status) }
}
--- request
GET /t
