/** Lesson: a timer started in init_worker_by_lua runs once per worker. */
import { nginxConf } from "../examples/example";
import { bodies, countLog, lessonWorkspace, type Lesson } from "./lesson";

function timersConf(initWorker: string): string {
  return nginxConf(
    `init_worker_by_lua_block {
${initWorker}
}`,
    `location = /t {
    content_by_lua_block {
        ngx.say("served by worker ", ngx.worker.id())
    }
}`,
  ).replace("worker_processes 1;", "worker_processes 2;");
}

const EVERY_WORKER = `    ngx.timer.at(0, function(premature)
        ngx.log(ngx.NOTICE, "timer ran in worker ", ngx.worker.id())
    end)`;

const WORKER_ZERO = `    if ngx.worker.id() == 0 then
        ngx.timer.at(0, function(premature)
            ngx.log(ngx.NOTICE, "timer ran in worker ", ngx.worker.id())
        end)
    end`;

export const timersLesson: Lesson = {
  id: "timers",
  title: "Timers run in every worker",
  summary:
    "init_worker_by_lua runs once in each worker process, so a timer " +
    "created there exists once per worker: with worker_processes 2, a " +
    "job meant to run once runs twice. Guard it with ngx.worker.id(), or " +
    "run it in the privileged agent.",
  source: {
    kind: "workspace",
    hostExampleId: "privileged-agent",
    workspace: lessonWorkspace(timersConf(EVERY_WORKER), "/t"),
  },
  steps: [
    {
      text:
        'Send and read the error log: "timer ran in worker" appears for ' +
        "worker 0 and for worker 1.",
      isDone: (result) =>
        countLog(result, "timer ran in worker 0") === 1 &&
        countLog(result, "timer ran in worker 1") === 1,
    },
    {
      text:
        "Wrap the ngx.timer.at call in `if ngx.worker.id() == 0 then ... " +
        "end` (or press Apply) and send: the timer now runs once.",
      change: { nginxConf: timersConf(WORKER_ZERO) },
      isDone: (result) =>
        countLog(result, "timer ran in worker") === 1 &&
        countLog(result, "timer ran in worker 0") === 1,
    },
    {
      text:
        "Set Copies to 4 and send: the playground's master hands the " +
        "requests to worker 0 and worker 1 in turn (real nginx lets the " +
        "kernel choose, so one worker may take them all), and the timer " +
        "still ran once.",
      change: { copies: 4 },
      isDone: (result) =>
        result.responses.length === 4 &&
        bodies(result).some((body) => body.includes("worker 0")) &&
        bodies(result).some((body) => body.includes("worker 1")) &&
        countLog(result, "timer ran in worker") === 1,
    },
  ],
};
