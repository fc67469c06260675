/** Lesson: nginx -s reload starts new workers; old ones finish and leave. */
import { DEBIAN_NGINX, nginxConf } from "../examples/example";
import { countLog, lessonWorkspace, type Lesson } from "./lesson";

const CONF = nginxConf(
  `init_worker_by_lua_block {
    ngx.log(ngx.NOTICE, "worker started")
    ngx.timer.at(5, function(premature)
        ngx.log(ngx.NOTICE, "5 s timer fired, premature = ", premature)
    end)
}`,
  `location = /t {
    content_by_lua_block {
        ngx.say("served by worker ", ngx.worker.id())
    }
}`,
);

export const reloadLesson: Lesson = {
  id: "reload",
  title: "Reload: new workers, old timers",
  summary:
    "On nginx -s reload the master reads the config again and starts new " +
    "workers. The old workers stop accepting, finish their requests and " +
    "exit; their pending timers fire at once with premature = true, and " +
    "ngx.worker.exiting() is true there. Module-level Lua state starts " +
    "fresh in the new workers.",
  verifiedAgainst: DEBIAN_NGINX,
  source: {
    kind: "workspace",
    hostExampleId: "privileged-agent",
    workspace: lessonWorkspace(CONF, "/t", { stepsText: "reload\nGET /t" }),
  },
  steps: [
    {
      text:
        "Send (the steps reload nginx, then send GET /t again): both " +
        "bodies say worker 0, but the worker pid above each response " +
        "differs, because a new process served the second request.",
      isDone: (result) =>
        result.responses.length === 2 &&
        result.responses[0].pid !== result.responses[1].pid,
    },
    {
      text: 'Read the error log: "worker started" appears twice, once per generation.',
      isDone: (result) => countLog(result, "worker started") === 2,
    },
    {
      text:
        "Find the old worker's 5 s timer: it fired at the reload with " +
        "premature = true, long before 5 s.",
      isDone: (result) => countLog(result, "premature = true") === 1,
    },
  ],
};
