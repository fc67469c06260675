# if blocks of the rewrite module: conditions on variables, strings and
# regexes, with set, rewrite, return and break inside.

=== TEST 1: return inside if, on an argument's value
--- config
location = /t {
    if ($arg_deny = "1") {
        return 403;
    }
    content_by_lua_block { ngx.say("allowed") }
}
--- requests
GET /t?deny=1
GET /t?deny=0

=== TEST 2: a regex condition sets captures for set; a bare variable is false when empty or "0"
--- config
location /t {
    set $kind "none";
    if ($uri ~* ^/t/(\w+)-(\d+)$) {
        set $kind "$1:$2";
    }
    if ($arg_flag) {
        set $kind "$kind+flag";
    }
    content_by_lua_block { ngx.say(ngx.var.kind) }
}
--- requests
GET /t/Item-42?flag=yes
GET /t/other?flag=0
GET /t/x-1

=== TEST 3: != and !~, and break stops the rewrite directives after it
--- config
location = /t {
    set $step "start";
    if ($http_x_mode != "fast") {
        set $step "slow";
        break;
    }
    if ($http_user_agent !~ curl) {
        set $step "not curl";
    }
    set $step "$step, end";
    content_by_lua_block { ngx.say(ngx.var.step) }
}
--- more_headers
X-Mode: fast
--- request
GET /t

=== TEST 4: a rewrite inside if, at server level
--- config
if ($arg_old) {
    rewrite ^ /new last;
}
location = /t { content_by_lua_block { ngx.say("t") } }
location = /new { content_by_lua_block { ngx.say("new ", ngx.var.args) } }
--- request
GET /t?old=1

=== TEST 5: a condition without parentheses stops nginx -t
--- config
location = /t {
    if $arg_a {
        return 204;
    }
}
--- request
GET /t
