import { describe, expect, it } from "vitest";
import { decodePermalink, encodePermalink, PermalinkError } from "./permalink";
import type { Workspace } from "../store/workspace";

const workspace: Workspace = {
  nginxConf: "events {}\nhttp { server { location / { content_by_lua_block { ngx.say('é') } } } }\n",
  method: "POST",
  uri: "/t?a=1",
  headersText: "X-Foo: bar",
  body: "x=1",
  copies: 2,
  stepsText: "reload\nGET /t",
  balancePolicy: "least-busy",
  seed: 7,
  jitterMs: 5,
};

describe("permalink", () => {
  it("round-trips a workspace", async () => {
    const link = await encodePermalink(workspace, "exit");
    expect(await decodePermalink(`#w=${link}`)).toEqual({ exampleId: "exit", workspace });
  });

  it("returns null for a hash without a permalink", async () => {
    expect(await decodePermalink("#other=1")).toBeNull();
    expect(await decodePermalink("")).toBeNull();
  });

  it("rejects a cut-short link with a clear error", async () => {
    const link = await encodePermalink(workspace);
    await expect(decodePermalink(`#w=${link.slice(0, link.length / 2)}`)).rejects.toThrow(
      PermalinkError,
    );
  });

  it("rejects characters a link never has", async () => {
    await expect(decodePermalink("#w=abc$%")).rejects.toThrow(/damaged/);
  });

  it("refuses a decompression bomb", async () => {
    const huge = { ...workspace, body: "a".repeat(3_000_000) };
    const link = await encodePermalink(huge);
    await expect(decodePermalink(`#w=${link}`)).rejects.toThrow(/larger than/);
  });

  it("refuses a link from a newer format", async () => {
    const stream = new Blob([JSON.stringify({ v: 99, workspace })])
      .stream()
      .pipeThrough(new CompressionStream("deflate-raw"));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    const link = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    await expect(decodePermalink(`#w=${link}`)).rejects.toThrow(/newer version/);
  });
});
