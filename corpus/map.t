# map: a variable computed from another when it is read, by exact keys,
# regexes in order (with captures) and a default.

=== TEST 1: exact keys, regexes with captures, and the default
--- http_config
map $arg_k $mapped {
    default       "none";
    apple         fruit;
    ~^veg-(\w+)$  vegetable:$1;
    ~*^NUT        nut;
}
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.var.mapped)
    }
}
--- requests
GET /t?k=apple
GET /t?k=veg-kale
GET /t?k=nutmeg
GET /t?k=stone
GET /t

=== TEST 2: a map without a default gives the empty string
--- http_config
map $http_x_mode $mode_label {
    fast  "quick";
}
--- config
location = /t {
    content_by_lua_block {
        ngx.say("[", ngx.var.mode_label, "]")
    }
}
--- more_headers
X-Mode: slow
--- request
GET /t

=== TEST 3: a map's value is computed again on each read, after the source changes
--- http_config
map $arg_k $area {
    default  other;
    a        first;
    b        second;
}
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.var.area)
        ngx.req.set_uri_args("k=b")
        ngx.say(ngx.var.area)
    }
}
--- request
GET /t?k=a

=== TEST 4: a map entry with three words stops nginx -t
--- http_config
map $arg_k $bad {
    a  b  c;
}
--- config
location = /t { return 204; }
--- request
GET /t
