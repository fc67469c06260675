import { DEBIAN_NGINX, getRequest, nginxConf, type Example } from "./example";

export const sharedDictAtomicExample: Example = {
  id: "shdict-atomic",
  title: "Shared dict: lost update vs incr",
  explanation:
    "A lua_shared_dict is shared by all requests and all workers, and each " +
    "single operation on it is atomic. /racy reads the counter, calls " +
    "ngx.sleep (a yield, so the other request runs in between) and writes " +
    "the value plus one back: with two copies sent at once both read the " +
    "same value and one update is lost, so both print racy = 1 on a fresh " +
    "dict. /atomic uses incr, one atomic operation, so the two requests " +
    "print 1 and 2. Any yield between a get and a set opens this race, and " +
    "so do several workers without any yield.",
  nginxConf: nginxConf(
    "lua_shared_dict counters 1m;",
    `location = /racy {
    content_by_lua_block {
        local counters = ngx.shared.counters
        local n = counters:get("racy") or 0
        ngx.sleep(0.001)
        counters:set("racy", n + 1)
        ngx.say("racy = ", counters:get("racy"))
    }
}

location = /atomic {
    content_by_lua_block {
        local n = ngx.shared.counters:incr("atomic", 1, 0)
        ngx.say("atomic = ", n)
    }
}`,
  ),
  request: getRequest("/racy"),
  copies: 2,
  verifiedAgainst: DEBIAN_NGINX,
};
