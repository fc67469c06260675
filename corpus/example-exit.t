# The UI example "exit" (src/ui/examples), written by
# `npx tsx src/cli/exampleCorpus.ts`: change the example, not this file.

=== TEST 1: ngx.exit
--- main_config
worker_processes 1;
--- config
location = /ok {
    rewrite_by_lua_block {
        ngx.exit(ngx.OK)
    }
    content_by_lua_block {
        ngx.say("content ran after ngx.exit(ngx.OK) in rewrite")
    }
}

location = /error {
    rewrite_by_lua "ngx.exit(ngx.ERROR)";
    echo hello;
}

location = /declined {
    access_by_lua_block {
        ngx.exit(ngx.DECLINED)
    }
    content_by_lua_block {
        ngx.say("content ran after ngx.exit(ngx.DECLINED) in access")
    }
}

location = /403 {
    access_by_lua_block {
        ngx.exit(ngx.HTTP_FORBIDDEN)
    }
    content_by_lua_block {
        ngx.say("never sent")
    }
}
--- request
GET /error

=== TEST 2: ngx.exit, /ok
--- main_config
worker_processes 1;
--- config
location = /ok {
    rewrite_by_lua_block {
        ngx.exit(ngx.OK)
    }
    content_by_lua_block {
        ngx.say("content ran after ngx.exit(ngx.OK) in rewrite")
    }
}

location = /error {
    rewrite_by_lua "ngx.exit(ngx.ERROR)";
    echo hello;
}

location = /declined {
    access_by_lua_block {
        ngx.exit(ngx.DECLINED)
    }
    content_by_lua_block {
        ngx.say("content ran after ngx.exit(ngx.DECLINED) in access")
    }
}

location = /403 {
    access_by_lua_block {
        ngx.exit(ngx.HTTP_FORBIDDEN)
    }
    content_by_lua_block {
        ngx.say("never sent")
    }
}
--- request
GET /ok

=== TEST 3: ngx.exit, /declined
--- main_config
worker_processes 1;
--- config
location = /ok {
    rewrite_by_lua_block {
        ngx.exit(ngx.OK)
    }
    content_by_lua_block {
        ngx.say("content ran after ngx.exit(ngx.OK) in rewrite")
    }
}

location = /error {
    rewrite_by_lua "ngx.exit(ngx.ERROR)";
    echo hello;
}

location = /declined {
    access_by_lua_block {
        ngx.exit(ngx.DECLINED)
    }
    content_by_lua_block {
        ngx.say("content ran after ngx.exit(ngx.DECLINED) in access")
    }
}

location = /403 {
    access_by_lua_block {
        ngx.exit(ngx.HTTP_FORBIDDEN)
    }
    content_by_lua_block {
        ngx.say("never sent")
    }
}
--- request
GET /declined

=== TEST 4: ngx.exit, /403
--- main_config
worker_processes 1;
--- config
location = /ok {
    rewrite_by_lua_block {
        ngx.exit(ngx.OK)
    }
    content_by_lua_block {
        ngx.say("content ran after ngx.exit(ngx.OK) in rewrite")
    }
}

location = /error {
    rewrite_by_lua "ngx.exit(ngx.ERROR)";
    echo hello;
}

location = /declined {
    access_by_lua_block {
        ngx.exit(ngx.DECLINED)
    }
    content_by_lua_block {
        ngx.say("content ran after ngx.exit(ngx.DECLINED) in access")
    }
}

location = /403 {
    access_by_lua_block {
        ngx.exit(ngx.HTTP_FORBIDDEN)
    }
    content_by_lua_block {
        ngx.say("never sent")
    }
}
--- request
GET /403
