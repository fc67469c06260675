/** Lesson: a full shared dict evicts least recently used keys. */
import { DEBIAN_NGINX, nginxConf } from "../examples/example";
import { bodies, isRunOf, lessonWorkspace, type Lesson } from "./lesson";

const CONF = nginxConf(
  "lua_shared_dict small 64k;",
  `location = /fill {
    content_by_lua_block {
        local small = ngx.shared.small
        local value = string.rep("x", 1000)
        local forcible_sets = 0
        for i = 1, 100 do
            local ok, err, forcible = small:set("key" .. i, value)
            if forcible then forcible_sets = forcible_sets + 1 end
        end
        ngx.say("forcible sets: ", forcible_sets > 0)
        ngx.say("key1 still stored: ", small:get("key1") ~= nil)
        ngx.say("key100 still stored: ", small:get("key100") ~= nil)
        ngx.say("free_space: ", small:free_space(), " of ", small:capacity())
    }
}

location = /safe {
    content_by_lua_block {
        local small = ngx.shared.small
        local value = string.rep("x", 1000)
        for i = 1, 100 do
            local ok, err = small:safe_set("key" .. i, value)
            if not ok then
                ngx.say("safe_set of key", i, " failed: ", err)
                return
            end
        end
        ngx.say("all 100 stored")
    }
}`,
);

export const shdictMemoryLesson: Lesson = {
  id: "shdict-memory",
  title: "Shared dict memory and eviction",
  summary:
    "A lua_shared_dict has a fixed size. When a set finds no room, nginx " +
    "evicts the least recently used keys, even unexpired ones, and set " +
    "returns forcible = true. safe_set never evicts: it fails with " +
    '"no memory" instead.',
  verifiedAgainst: DEBIAN_NGINX,
  source: {
    kind: "workspace",
    hostExampleId: "shdict-atomic",
    workspace: lessonWorkspace(CONF, "/fill"),
  },
  steps: [
    {
      text:
        "Send /fill: 100 values of 1000 bytes do not fit in 64k, so some " +
        "sets were forcible and key1, the least recently used, is gone.",
      isDone: (result) =>
        isRunOf(result, "/fill") &&
        bodies(result)[0]?.startsWith(
          "forcible sets: true\nkey1 still stored: false\nkey100 still stored: true\n",
        ) === true,
    },
    {
      text:
        "Open the Shared dicts pane: the newest keys come first in LRU " +
        "order, and the memory line shows free_space and capacity.",
      isDone: (result) =>
        isRunOf(result, "/fill") &&
        result.trace.some((event) => event.kind === "shdict" && event.op === "free_space"),
    },
    {
      text: "Change the URI to /safe and send: safe_set fails with no memory.",
      change: { uri: "/safe" },
      isDone: (result) =>
        isRunOf(result, "/safe") && /failed: no memory\n$/.test(bodies(result)[0] ?? ""),
    },
  ],
};
