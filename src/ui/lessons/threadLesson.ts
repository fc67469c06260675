/** Lesson: ngx.thread runs waits of one request side by side. */
import { DEBIAN_NGINX, nginxConf } from "../examples/example";
import { bodies, countEvents, isRunOf, lessonWorkspace, type Lesson } from "./lesson";

const CONF = nginxConf(
  "",
  `location = /threads {
    content_by_lua_block {
        local function fetch(name, seconds)
            ngx.sleep(seconds)
            return name .. " done"
        end
        local t0 = ngx.now()
        local a = ngx.thread.spawn(fetch, "a", 0.2)
        local b = ngx.thread.spawn(fetch, "b", 0.3)
        local _, result_a = ngx.thread.wait(a)
        local _, result_b = ngx.thread.wait(b)
        ngx.say(result_a, ", ", result_b)
        ngx.say("took under 0.45 s: ", ngx.now() - t0 < 0.45)
    }
}

location = /sequential {
    content_by_lua_block {
        local t0 = ngx.now()
        ngx.sleep(0.2)
        ngx.sleep(0.3)
        ngx.say("took under 0.45 s: ", ngx.now() - t0 < 0.45)
    }
}`,
);

export const threadLesson: Lesson = {
  id: "thread",
  title: "ngx.thread: waits side by side",
  summary:
    "ngx.thread.spawn starts a light thread: a coroutine of the same " +
    "request that runs until it yields. While one thread sleeps or waits " +
    "on a socket, the others run, so two waits of 0.2 s and 0.3 s take " +
    "about 0.3 s, not 0.5 s. The threads still share one worker and one " +
    "CPU.",
  verifiedAgainst: DEBIAN_NGINX,
  source: {
    kind: "workspace",
    hostExampleId: "phases",
    workspace: lessonWorkspace(CONF, "/threads"),
  },
  steps: [
    {
      text:
        "Send /threads: both threads finish and the request took under " +
        "0.45 s. In the timeline, each light thread has its own row under " +
        "the request, from its spawn to its end, and the two sleeps overlap.",
      isDone: (result) =>
        isRunOf(result, "/threads") &&
        bodies(result)[0] === "a done, b done\ntook under 0.45 s: true\n" &&
        countEvents(result, "thread-spawn") === 2 &&
        countEvents(result, "thread-exit") === 2,
    },
    {
      text: "Change the URI to /sequential and send: the same sleeps in a row take 0.5 s.",
      change: { uri: "/sequential" },
      isDone: (result) =>
        isRunOf(result, "/sequential") &&
        bodies(result)[0] === "took under 0.45 s: false\n",
    },
    {
      text:
        "Change the URI back to /threads and set Copies to 2: each request " +
        "has its own threads, and both still take under 0.45 s.",
      change: { uri: "/threads", copies: 2 },
      isDone: (result) =>
        isRunOf(result, "/threads", 2) &&
        bodies(result).every((body) => body.endsWith("took under 0.45 s: true\n")),
    },
  ],
};
