import { getRequest, nginxConf, type Example } from "./example";

export const privilegedAgentExample: Example = {
  id: "privileged-agent",
  title: "Processes and the privileged agent",
  explanation:
    "init_by_lua runs once, in the master process, before the master " +
    "forks its workers: there require(\"ngx.process\").type() returns " +
    "\"master\", and a global set there is inherited by every worker. " +
    "The privileged agent is a special nginx process that OpenResty starts " +
    "when init_by_lua calls require(\"ngx.process\").enable_privileged_agent(). " +
    "It has the master's privileges and runs init_worker_by_lua and timers " +
    "(type() returns \"privileged agent\" there, and ngx.worker.id() is nil), " +
    "but it listens on no port and serves no requests: only the two workers " +
    "answer. The timeline has a lane for the master, each worker and the agent; " +
    "the error log shows init_worker_by_lua running in all three, and the " +
    "agent's timer. The init_by_lua line goes to stderr, because nginx has " +
    "not opened its error log file while it reads the configuration. " +
    "Debian's stock nginx lacks OpenResty's core patch for the agent, so " +
    "there enable_privileged_agent() returns nil and an error instead.",
  nginxConf: nginxConf(
    `init_by_lua_block {
    init_type = require("ngx.process").type()
    ngx.log(ngx.NOTICE, "init_by_lua runs in the ", init_type)
    assert(require("ngx.process").enable_privileged_agent())
}

init_worker_by_lua_block {
    local process = require("ngx.process")
    ngx.log(ngx.NOTICE, "init_worker: type=", process.type(),
            " worker.id=", tostring(ngx.worker.id()))
    if process.type() == "privileged agent" then
        ngx.timer.at(0, function()
            ngx.log(ngx.NOTICE, "a timer in the ", process.type())
        end)
    end
}`,
    `location = /t {
    content_by_lua_block {
        local process = require("ngx.process")
        ngx.say("init_by_lua saw type = ", init_type)
        ngx.say("content sees type = ", process.type(),
                ", worker id = ", ngx.worker.id())
    }
}`,
  ).replace("worker_processes 1;", "worker_processes 2;"),
  request: getRequest("/t"),
  copies: 2,
};
