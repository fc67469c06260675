import { getRequest, nginxConf, type Example } from "./example";

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
    "ngx.sleep(0.1) the difference has grown by at least 0.1 s.",
  nginxConf: nginxConf(
    "",
    `location = /t {
    content_by_lua_block {
        local t0 = ngx.now()
        local start = os.clock()
        while os.clock() - start < 0.04 do end
        local diff = ngx.now() - t0
        ngx.say(string.format("after ~40 ms of CPU work: %.3f s", diff))
        ngx.update_time()
        diff = ngx.now() - t0
        ngx.say(string.format("after ngx.update_time(): %.3f s", diff))
        ngx.sleep(0.1)
        diff = ngx.now() - t0
        ngx.say(string.format("after ngx.sleep(0.1): %.3f s", diff))
    }
}`,
  ),
  request: getRequest("/t"),
  copies: 1,
};
