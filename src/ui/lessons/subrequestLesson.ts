/** Lesson: ngx.location.capture issues subrequests inside the worker. */
import { DEBIAN_NGINX, nginxConf } from "../examples/example";
import { bodies, countEvents, isRunOf, lessonWorkspace, type Lesson } from "./lesson";

const CONF = nginxConf(
  "",
  `location = /sub {
    content_by_lua_block {
        ngx.sleep(0.1)
        ngx.say("sub got x=", ngx.var.arg_x)
    }
}

location = /one {
    content_by_lua_block {
        local res = ngx.location.capture("/sub", { args = { x = 1 } })
        ngx.say("status ", res.status, ", body: ", res.body)
    }
}

location = /multi {
    content_by_lua_block {
        local t0 = ngx.now()
        local r1, r2 = ngx.location.capture_multi({
            { "/sub", { args = "x=1" } },
            { "/sub", { args = "x=2" } },
        })
        ngx.print(r1.body, r2.body)
        ngx.say("in parallel: ", ngx.now() - t0 < 0.15)
    }
}`,
);

export const subrequestLesson: Lesson = {
  id: "subrequest",
  title: "Subrequests with ngx.location.capture",
  summary:
    "ngx.location.capture runs another location of the same server as a " +
    "subrequest, inside the same worker and without any network, and " +
    "returns its status and body. capture_multi runs several subrequests " +
    "at once. A location meant only for subrequests is usually marked " +
    "`internal;` so that clients get 404 from it.",
  verifiedAgainst: DEBIAN_NGINX,
  source: {
    kind: "workspace",
    hostExampleId: "phases",
    workspace: lessonWorkspace(CONF, "/one"),
  },
  steps: [
    {
      text: "Send /one: the body carries the subrequest's status and body.",
      isDone: (result) =>
        isRunOf(result, "/one") &&
        bodies(result)[0] === "status 200, body: sub got x=1\n\n",
    },
    {
      text:
        "Change the URI to /multi and send: two subrequests ran side by " +
        "side. The timeline gives each one a row under the request, with " +
        "its own phases.",
      change: { uri: "/multi" },
      isDone: (result) =>
        isRunOf(result, "/multi") &&
        countEvents(result, "subrequest-start") === 2 &&
        bodies(result)[0] === "sub got x=1\nsub got x=2\nin parallel: true\n",
    },
    {
      text:
        "Change the URI to /sub and send: a client reaches it too, here " +
        "without the args that capture passed, so x is nil.",
      change: { uri: "/sub" },
      isDone: (result) =>
        isRunOf(result, "/sub") && bodies(result)[0] === "sub got x=nil\n",
    },
  ],
};
