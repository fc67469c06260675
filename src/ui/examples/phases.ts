import { DEBIAN_NGINX, getRequest, nginxConf, type Example } from "./example";

export const phasesExample: Example = {
  id: "phases",
  title: "Request phases",
  explanation:
    "A request runs through the phases rewrite, access, content, " +
    "header_filter, body_filter and log, and each *_by_lua_block handles " +
    "one of them. ngx.say does not wait for the content handler to end: " +
    "it sends the response header and the chunk through header_filter and " +
    "body_filter at once, so their log lines come before the content " +
    "handler's own line after ngx.say. When the handler returns, " +
    "body_filter runs once more with eof = true, and log_by_lua runs last, " +
    "after the response has been sent. Watch the order in the error log " +
    "and in the timeline.",
  nginxConf: nginxConf(
    "",
    `location = /t {
    rewrite_by_lua_block {
        ngx.log(ngx.NOTICE, "rewrite")
    }
    access_by_lua_block {
        ngx.log(ngx.NOTICE, "access")
    }
    content_by_lua_block {
        ngx.say("hello from content")
        ngx.log(ngx.NOTICE, "content: after ngx.say")
    }
    header_filter_by_lua_block {
        ngx.log(ngx.NOTICE, "header_filter: status=", ngx.status)
    }
    body_filter_by_lua_block {
        local chunk = string.gsub(ngx.arg[1], "\\n", "\\\\n")
        ngx.log(ngx.NOTICE, "body_filter: chunk=[", chunk, "] eof=", ngx.arg[2])
    }
    log_by_lua_block {
        ngx.log(ngx.NOTICE, "log: status=", ngx.status)
    }
}`,
  ),
  request: getRequest("/t"),
  copies: 1,
  verifiedAgainst: DEBIAN_NGINX,
};
