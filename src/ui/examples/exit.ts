import { DEBIAN_NGINX, getRequest, nginxConf, type Example } from "./example";

export const exitExample: Example = {
  id: "exit",
  title: "ngx.exit",
  explanation:
    "What ngx.exit does depends on its argument. Try these URIs: /ok " +
    "calls ngx.exit(ngx.OK) in rewrite_by_lua, which only ends that " +
    "phase, so the content handler still runs. /error calls " +
    "ngx.exit(ngx.ERROR) before any output: nginx closes the connection " +
    "and the client gets an empty reply, and echo never runs. /declined " +
    "calls ngx.exit(ngx.DECLINED) in access_by_lua, which also lets the " +
    "request go on to content. /403 calls ngx.exit(ngx.HTTP_FORBIDDEN): " +
    "a status of 200 or more ends the request with that status and " +
    "nginx's own error page.",
  nginxConf: nginxConf(
    "",
    `location = /ok {
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
}`,
  ),
  request: getRequest("/error"),
  copies: 1,
  verifiedAgainst: DEBIAN_NGINX,
};
