import { getRequest, nginxConf, type Example } from "./example";

export const privilegedAgentExample: Example = {
  id: "privileged-agent",
  title: "Processes and the privileged agent",
  explanation:
    "init_by_lua runs once, in the master process, before the master " +
    "forks its workers: there require(\"ngx.process\").type() returns " +
    "\"master\", and a global set there is inherited by every worker, " +
    "while content handlers run in a worker. The privileged agent is a " +
    "special nginx process that OpenResty starts when init_by_lua calls " +
    "require(\"ngx.process\").enable_privileged_agent(). It has the " +
    "master's privileges and runs init_worker_by_lua and timers " +
    "(type() returns \"privileged agent\" there), but it listens on no " +
    "server port and serves no requests. This slice of the playground " +
    "simulates one worker and does not start the privileged agent yet. " +
    "The init_by_lua log line goes to stderr, because nginx has not opened " +
    "its error log file while it reads the configuration.",
  nginxConf: nginxConf(
    `init_by_lua_block {
    init_type = require("ngx.process").type()
    ngx.log(ngx.NOTICE, "init_by_lua runs in the ", init_type)
}`,
    `location = /t {
    content_by_lua_block {
        local process = require("ngx.process")
        ngx.say("init_by_lua saw type = ", init_type)
        ngx.say("content sees type = ", process.type())
    }
}`,
  ),
  request: getRequest("/t"),
  copies: 1,
};
