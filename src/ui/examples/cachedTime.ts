import { DEBIAN_NGINX, getRequest, nginxConf, type Example } from "./example";

export const cachedTimeExample: Example = {
  id: "cached-time",
  title: "Cached time: ngx.now()",
  explanation:
    "ngx.now() does not read the clock: it returns the time nginx cached " +
    "at the start of the current event loop iteration. After about 40 ms " +
    "of busy CPU work in one handler, ngx.now() still returns the same " +
    "value. ngx.update_time() refreshes the cache, so the difference then " +
    "shows the time spent. ngx.sleep yields to the event loop, which " +
    "updates the cached time when it resumes the handler, so after " +
    "ngx.sleep(0.1) the difference has grown by at least 0.1 s. The " +
    "handler prints these relations rather than raw times, so the same " +
    "output can be checked against a real server.",
  nginxConf: nginxConf(
    "",
    `location = /t {
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
}`,
  ),
  request: getRequest("/t"),
  copies: 1,
  verifiedAgainst: DEBIAN_NGINX,
};
