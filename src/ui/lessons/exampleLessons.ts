/** Lessons on the six shipped examples, one per frequently asked topic. */
import { bodies, countLog, isRunOf, logMessages, type Lesson } from "./lesson";

function indexOfLog(messages: string[], text: string): number {
  return messages.findIndex((message) => message.includes(text));
}

export const phasesLesson: Lesson = {
  id: "phases",
  title: "Request phases",
  summary:
    "nginx handles a request in fixed phases, and each *_by_lua_block " +
    "runs in one of them. rewrite and access run before the content " +
    "handler, the header and body filters run as output leaves, and " +
    "log_by_lua runs last, after the client has the response.",
  source: { kind: "example", exampleId: "phases" },
  steps: [
    {
      text: "Press Send and open the error log: rewrite comes before access.",
      isDone: (result) => {
        const log = logMessages(result);
        const rewrite = indexOfLog(log, "rewrite");
        return rewrite >= 0 && rewrite < indexOfLog(log, "access");
      },
    },
    {
      text:
        "Notice that the body_filter line for the chunk comes before " +
        '"content: after ngx.say": ngx.say sends output at once.',
      isDone: (result) => {
        const log = logMessages(result);
        const chunk = indexOfLog(log, "body_filter: chunk=[hello");
        return chunk >= 0 && chunk < indexOfLog(log, "content: after ngx.say");
      },
    },
    {
      text: "Find the log: line. It is the last one, after eof = true.",
      isDone: (result) => {
        const log = logMessages(result);
        return log.length > 0 && log[log.length - 1].includes("log: status=200");
      },
    },
  ],
};

export const privilegedAgentLesson: Lesson = {
  id: "privileged-agent",
  title: "Processes and the privileged agent",
  summary:
    "nginx runs one master and several workers, and each has its own Lua " +
    "VM. OpenResty can add a privileged agent: a process that runs " +
    "init_worker_by_lua and timers but serves no requests.",
  source: { kind: "example", exampleId: "privileged-agent" },
  steps: [
    {
      text: "Send 2 copies and notice that two different workers answer.",
      isDone: (result) =>
        new Set(result.responses.map((response) => response.pid)).size === 2,
    },
    {
      text:
        "In the error log, find init_worker in each of the three " +
        "processes: two workers and the privileged agent.",
      isDone: (result) => countLog(result, "init_worker: type=") === 3,
    },
    {
      text: "Find the timer line: it ran in the privileged agent.",
      isDone: (result) => countLog(result, "a timer in the privileged agent") === 1,
    },
  ],
};

export const exitLesson: Lesson = {
  id: "exit",
  title: "ngx.exit",
  summary:
    "ngx.exit(status) ends the current handler. With ngx.OK it ends only " +
    "the phase, with ngx.ERROR it closes the connection, and with a status " +
    "of 200 or more it ends the request with that status.",
  source: { kind: "example", exampleId: "exit" },
  steps: [
    {
      text: "Send /error: the client gets an empty reply, no status line.",
      isDone: (result) =>
        isRunOf(result, "/error") && result.responses[0]?.empty_reply === true,
    },
    {
      text: "Change the URI to /ok and send: the content handler still ran.",
      change: { uri: "/ok" },
      isDone: (result) =>
        isRunOf(result, "/ok") && bodies(result)[0]?.includes("content ran") === true,
    },
    {
      text: "Change the URI to /403 and send: nginx's own 403 page comes back.",
      change: { uri: "/403" },
      isDone: (result) =>
        isRunOf(result, "/403") && result.responses[0]?.status === 403,
    },
  ],
};

export const variablesLesson: Lesson = {
  id: "var",
  title: "ngx.var across phases",
  summary:
    "ngx.var reads and writes nginx variables of the current request. " +
    "Each request has its own copy, so two requests that read, yield and " +
    "write the same variable do not disturb each other.",
  source: { kind: "example", exampleId: "var" },
  steps: [
    {
      text: "Send 2 copies: both bodies show every phase's addition.",
      isDone: (result) =>
        result.responses.length === 2 &&
        bodies(result).every((body) => body === "foo = set + rewrite + access\n"),
    },
    {
      text:
        "In the error log, each request's rewrite read $foo = set: " +
        "the other request's write did not leak in.",
      isDone: (result) => countLog(result, "rewrite reads $foo = set") === 2,
    },
    {
      text:
        "Open the timeline: the two access handlers sleep at the same " +
        "time, one request's yield lets the other run.",
      isDone: (result) =>
        result.trace.filter((event) => event.kind === "sleep").length === 2,
    },
  ],
};

export const sharedDictLesson: Lesson = {
  id: "shdict-atomic",
  title: "Shared dict: lost update vs incr",
  summary:
    "A lua_shared_dict is shared by every request and worker. Each single " +
    "operation is atomic, but a get, a yield and a set are three " +
    "operations, and another request can write in between.",
  source: { kind: "example", exampleId: "shdict-atomic" },
  steps: [
    {
      text:
        "Send /racy with 2 copies and notice the Races pane reports a lost " +
        "update.",
      isDone: (result) =>
        isRunOf(result, "/racy", 2) &&
        result.races.some((race) => race.kind === "lost update"),
    },
    {
      text:
        "Open the Shared dicts pane: racy holds 1 although two requests " +
        "added one each.",
      isDone: (result) =>
        isRunOf(result, "/racy", 2) &&
        bodies(result).every((body) => body === "racy = 1\n"),
    },
    {
      text: "Change the URI to /atomic and send: incr gives 1 and 2.",
      change: { uri: "/atomic" },
      isDone: (result) =>
        isRunOf(result, "/atomic", 2) &&
        [...bodies(result)].sort().join("") === "atomic = 1\natomic = 2\n",
    },
  ],
};

export const cachedTimeLesson: Lesson = {
  id: "cached-time",
  title: "Cached time: ngx.now()",
  summary:
    "ngx.now() returns the time nginx cached at the start of the current " +
    "event loop iteration, not the clock. Busy CPU work does not move it; " +
    "ngx.update_time() and a yield such as ngx.sleep do.",
  source: { kind: "example", exampleId: "cached-time" },
  steps: [
    {
      text: "Send: after 40 ms of CPU work ngx.now() has not moved.",
      isDone: (result) =>
        bodies(result)[0]?.includes("ngx.now() moved: false") === true,
    },
    {
      text: "Read the next lines: ngx.update_time() and ngx.sleep moved it.",
      isDone: (result) =>
        bodies(result)[0]?.includes("it moved >= 0.03 s: true") === true &&
        bodies(result)[0]?.includes("about 0.1 s more: true") === true,
    },
    {
      text:
        "Open the timeline and find the cached-time updates: one from " +
        "ngx.update_time() and one from the event loop after the sleep.",
      isDone: (result) =>
        result.trace.some(
          (event) =>
            event.kind === "cached-time-update" && event.cause === "update_time",
        ),
    },
  ],
};
