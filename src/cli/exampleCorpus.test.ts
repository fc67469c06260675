import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nginxConf } from "../ui/examples/example";
import { EXAMPLES } from "../ui/examples/index";
import { exampleFileName, exampleTestFile, splitConf } from "./exampleCorpus";

const CORPUS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../corpus",
);

describe("splitConf", () => {
  it("splits an example conf into layout sections", () => {
    const conf = nginxConf(
      "lua_shared_dict d 1m;\ninit_by_lua_block { x = { 1 } }",
      'location = /t {\n    content_by_lua_block { ngx.say("}") }\n}',
    );
    expect(splitConf(conf)).toEqual({
      mainConfig: "worker_processes 1;",
      httpConfig: "lua_shared_dict d 1m;\ninit_by_lua_block { x = { 1 } }",
      config: 'location = /t {\n    content_by_lua_block { ngx.say("}") }\n}',
    });
  });

  it("rejects a second server block", () => {
    const conf =
      "events { worker_connections 1024; }\n" +
      "http {\n    server {\n    }\n    server {\n    }\n}\n";
    expect(() => splitConf(conf)).toThrow("one server block; found two");
  });

  it("rejects other events settings", () => {
    const conf = "events {\n    worker_connections 64;\n}\n";
    expect(() => splitConf(conf)).toThrow("fixes events");
  });

  it("rejects two statements on one line", () => {
    const conf = "worker_processes 1; daemon off;\n";
    expect(() => splitConf(conf)).toThrow("starts on line 1");
  });
});

describe("example corpus files", () => {
  for (const example of EXAMPLES) {
    it(`corpus/${exampleFileName(example)} matches the example`, () => {
      const file = path.join(CORPUS, exampleFileName(example));
      expect(readFileSync(file, "utf8")).toBe(exampleTestFile(example));
    });
  }
});
