import { expect, test } from "@playwright/test";
import { PlaygroundPage } from "./pages/PlaygroundPage";

const minimalConf = (contentLua: string, extraMain = "") => `worker_processes 1;
${extraMain}
events {
    worker_connections 1024;
}

http {
    server {
        listen 8080;
        server_name localhost;

        location = /t {
            content_by_lua_block {
                ${contentLua}
            }
        }
    }
}
`;

test.describe("playground", () => {
  let playground: PlaygroundPage;

  test.beforeEach(async ({ page }) => {
    playground = new PlaygroundPage(page);
  });

  test.afterEach(async ({}, testInfo) => {
    const name = testInfo.title.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    await playground.screenshot(name);
  });

  test("loads Monaco without any request off this host", async ({ page }) => {
    const foreign: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      const isLocal = ["data:", "blob:"].includes(url.protocol) || url.hostname === "127.0.0.1";
      if (!isLocal) foreign.push(request.url());
    });
    await playground.open();
    await expect(playground.editor.locator(".view-lines")).toContainText("content_by_lua_block");
    await expect(playground.editor.locator(".mtk1").first()).toBeVisible();
    const isIsolated = await page.evaluate(() => self.crossOriginIsolated);
    expect(isIsolated).toBe(true);
    expect(foreign).toEqual([]);
  });

  test("default example shows response, log and phases", async () => {
    await playground.open();
    await expect(playground.picker).toHaveValue("phases");
    await playground.runAndWait();
    await expect(playground.responses).toHaveCount(1);
    await expect(playground.page.getByTestId("response-status")).toHaveText("HTTP/1.1 200 OK");
    await expect(playground.page.getByTestId("response-body")).toHaveText("hello from content\n");
    const log = await playground.logLines.allTextContents();
    const bodyFilter = log.findIndex((line) => line.includes("body_filter: chunk=[hello"));
    const afterSay = log.findIndex((line) => line.includes("content: after ngx.say"));
    expect(bodyFilter).toBeGreaterThanOrEqual(0);
    expect(afterSay).toBeGreaterThan(bodyFilter);
    expect(log.at(-1)).toContain("log: status=200");
    expect(log[0]).toMatch(/^2026\/01\/01 12:00:00 \[notice\] \d+#\d+: \*\d+ \[lua\] /);
    const phases = (await playground.timeline.getAttribute("data-phases")) ?? "";
    for (const phase of ["rewrite", "access", "content", "header_filter", "body_filter", "log"]) {
      expect(phases.split(",")).toContain(phase);
    }
  });

  test("examples say what they were verified against", async () => {
    await playground.open();
    await expect(playground.page.getByTestId("verified-against")).toContainText(
      "Verified against real nginx 1.22.1 + lua-nginx-module 0.10.23",
    );
    await playground.selectExample("privileged-agent");
    await expect(playground.page.getByTestId("verified-against")).toContainText("Not verifiable");
  });

  test("privileged-agent example shows master then worker", async () => {
    await playground.open();
    await playground.selectExample("privileged-agent");
    await expect(playground.explanation).toContainText("serves no requests");
    await playground.runAndWait();
    const body = playground.page.getByTestId("response-body");
    await expect(body.first()).toContainText("init_by_lua saw type = master");
    await expect(body.first()).toContainText("content sees type = worker, worker id = 0");
    await expect(body.nth(1)).toContainText("content sees type = worker, worker id = 1");
    await expect(playground.stderrLines.first()).toContainText("init_by_lua runs in the master");
    const log = await playground.logLines.allTextContents();
    expect(log.some((line) => line.includes("init_worker: type=privileged agent worker.id=nil"))).toBe(true);
    expect(log.some((line) => line.includes("a timer in the privileged agent"))).toBe(true);
    const lanes = (await playground.timeline.getAttribute("data-lanes")) ?? "";
    expect(lanes).toMatch(/master/);
    expect(lanes).toMatch(/worker 0/);
    expect(lanes).toMatch(/worker 1/);
    expect(lanes).toMatch(/privileged agent/);
    await playground.screenshot("privileged-agent-example-shows-master-then-worker");
  });

  test("process view lists every process and its state", async () => {
    await playground.open();
    await playground.selectExample("privileged-agent");
    await playground.page.getByTestId("steps").fill("kill-worker\nGET /t");
    await playground.runAndWait();
    const rows = playground.page.getByTestId("process-row");
    await expect(rows).toHaveCount(5);
    await expect(rows.nth(0)).toHaveAttribute("data-kind", "master");
    await expect(rows.nth(3)).toHaveAttribute("data-kind", "privileged agent");
    await expect(playground.page.getByTestId("processes")).toContainText("killed (SIGKILL)");
    await playground.screenshot("process-view");
  });

  test("reload step starts a new worker generation", async () => {
    await playground.open();
    await playground.selectExample("privileged-agent");
    await playground.page.getByTestId("steps").fill("reload\nGET /t");
    await playground.runAndWait();
    await expect(playground.responses).toHaveCount(3);
    const log = await playground.logLines.allTextContents();
    expect(log.some((line) => line.includes("reconfiguring"))).toBe(true);
    expect(log.some((line) => /worker process \d+ exited with code 0/.test(line))).toBe(true);
    const lanes = ((await playground.timeline.getAttribute("data-lanes")) ?? "").split(",");
    expect(lanes.filter((lane) => lane.startsWith("worker 0")).length).toBe(2);
    await playground.screenshot("reload-step-starts-a-new-generation");
  });

  test("exit example: empty reply, content after OK, 403", async () => {
    await playground.open();
    await playground.selectExample("exit");
    await expect(playground.uri).toHaveValue("/error");
    await playground.runAndWait();
    await expect(playground.page.getByTestId("response-empty")).toHaveText(
      "(empty reply: connection closed with no response)",
    );
    await playground.uri.fill("/ok");
    await playground.runAndWait();
    await expect(playground.page.getByTestId("response-body")).toContainText("content ran");
    await playground.uri.fill("/403");
    await playground.runAndWait();
    await expect(playground.page.getByTestId("response-status")).toHaveText("HTTP/1.1 403 Forbidden");
  });

  test("var example keeps $foo per request", async () => {
    await playground.open();
    await playground.selectExample("var");
    await expect(playground.copies).toHaveValue("2");
    await playground.runAndWait();
    await expect(playground.responses).toHaveCount(2);
    const bodies = await playground.page.getByTestId("response-body").allTextContents();
    expect(bodies).toEqual(["foo = set + rewrite + access\n", "foo = set + rewrite + access\n"]);
  });

  test("shdict example loses an update, incr does not", async () => {
    await playground.open();
    await playground.selectExample("shdict-atomic");
    await playground.runAndWait();
    const racy = await playground.page.getByTestId("response-body").allTextContents();
    expect(racy).toEqual(["racy = 1\n", "racy = 1\n"]);
    await playground.uri.fill("/atomic");
    await playground.runAndWait();
    const atomic = await playground.page.getByTestId("response-body").allTextContents();
    expect([...atomic].sort()).toEqual(["atomic = 1\n", "atomic = 2\n"]);
  });

  test("races pane marks the lost update, not incr", async () => {
    await playground.open();
    await playground.selectExample("shdict-atomic");
    await playground.uri.fill("/racy");
    await playground.runAndWait();
    // The request whose update was lost is a lost update; the other one
    // read, yielded and wrote too, so it is a possible race.
    const lost = playground.page.locator('[data-testid="race"][data-kind="lost update"]');
    await expect(lost).toHaveCount(1);
    await expect(lost).toContainText("resty.lock");
    await expect(lost).toContainText('counters["racy"]');
    // The timeline has a race marker, and the editor marks the lines.
    await expect(playground.timeline).toHaveAttribute("data-races", "2");
    await playground.screenshot("races-pane-lost-update");
    await playground.uri.fill("/atomic");
    await playground.runAndWait();
    await expect(playground.page.getByTestId("races")).toHaveCount(0);
  });

  test("explorer finds orders with and without a lost update", async () => {
    await playground.open();
    await playground.selectExample("shdict-atomic");
    await playground.uri.fill("/racy");
    await playground.page.getByTestId("explore").click();
    const summary = playground.page.getByTestId("explorer-summary");
    await expect(summary).toBeVisible({ timeout: 60_000 });
    await expect(summary).toContainText("of 12 orders lost an update");
    const groups = playground.page.getByTestId("explorer-group");
    expect(await groups.count()).toBeGreaterThan(1);
    await playground.screenshot("explorer-groups");
    await playground.runAndWait(() => playground.page.getByTestId("explorer-replay").first().click());
    await expect(playground.page.getByTestId("seed-note")).toContainText("Replaying seed");
  });

  test("a shared link opens and replays the workspace", async ({ browser }) => {
    await playground.open();
    await playground.selectExample("exit");
    await playground.uri.fill("/403");
    await playground.page.getByTestId("share").click();
    await expect(playground.page.getByTestId("share")).toHaveText("Link copied");
    const link = playground.page.url();
    expect(link).toMatch(/#w=[A-Za-z0-9_-]+$/);
    const context = await browser.newContext();
    const other = new PlaygroundPage(await context.newPage());
    await other.page.goto(link);
    await expect(other.uri).toHaveValue("/403");
    await expect(other.picker).toHaveValue("exit");
    await expect(other.responses.first()).toContainText("403 Forbidden");
    // A link cut short opens a fresh page with a clear error.
    const damaged = new PlaygroundPage(await context.newPage());
    await damaged.page.goto(link.slice(0, link.length - 20));
    await expect(damaged.page.getByTestId("permalink-error")).toContainText("damaged");
    await damaged.screenshot("permalink-damaged");
    await context.close();
  });

  test("request state shows ngx.var and ngx.ctx", async () => {
    await playground.open();
    await playground.selectExample("var");
    await playground.runAndWait();
    const vars = playground.page.getByTestId("request-vars");
    await expect(vars).toContainText("$foo");
    await playground.screenshot("request-state");
  });

  test("cached-time example shows a frozen ngx.now()", async () => {
    await playground.open();
    await playground.selectExample("cached-time");
    await playground.runAndWait();
    const body = (await playground.page.getByTestId("response-body").textContent()) ?? "";
    expect(body).toContain("after ~40 ms of CPU work, ngx.now() moved: false");
    expect(body).toContain("after ngx.update_time(), it moved >= 0.03 s: true");
    expect(body).toContain("after ngx.sleep(0.1), it moved about 0.1 s more: true");
  });

  test("unknown directive shows the nginx -t error", async () => {
    await playground.open();
    await playground.replaceConfig(minimalConf('ngx.say("hi")', "bogus_directive on;"));
    await playground.runAndWait();
    await expect(playground.startupError).toContainText(
      'unknown directive "bogus_directive" in nginx.conf:2',
    );
    await expect(playground.page.getByTestId("editor-pane")).toHaveAttribute("data-marker-lines", "2");
    await expect(playground.editor.locator(".squiggly-error").first()).toBeAttached();
  });

  test("Ctrl+Enter in the editor sends", async () => {
    await playground.open();
    await playground.editor.locator(".view-lines").click();
    await playground.runAndWait(() => playground.page.keyboard.press("Control+Enter"));
    await expect(playground.page.getByTestId("response-body")).toHaveText("hello from content\n");
  });

  test("two copies show two responses", async () => {
    await playground.open();
    await playground.copies.fill("2");
    await playground.runAndWait();
    await expect(playground.responses).toHaveCount(2);
    const connections = await playground.page.locator(".response-meta").allTextContents();
    expect(new Set(connections).size).toBe(2);
  });

  test("endless loop is stopped by the budget", async () => {
    await playground.open();
    await playground.replaceConfig(minimalConf("while true do end"));
    await playground.runAndWait();
    // The worker is killed, so the client sees the connection close.
    await expect(playground.page.getByTestId("response-empty")).toBeVisible();
    await expect(playground.logLines.first()).toContainText("instructions without a yield");
    await expect(playground.logLines.first()).toContainText("killed with SIGKILL");
    await expect(playground.page.getByTestId("editor-pane")).toHaveAttribute(
      "data-marker-lines",
      "",
    );
  });

  test("watchdog stops a run that never returns", async () => {
    test.setTimeout(120_000);
    await playground.open();
    // Each string.rep counts as one Lua instruction but takes real time, so
    // the instruction budget cannot stop this loop and the watchdog must.
    const busy = 'while true do local s = string.rep("x", 1e6) end';
    await playground.replaceConfig(minimalConf(busy));
    const started = Date.now();
    await playground.runAndWait();
    expect(Date.now() - started).toBeLessThan(25_000);
    await expect(playground.runError).toContainText("stopped after 15 s of real time");
    await playground.selectExample("exit");
    await playground.runAndWait();
    await expect(playground.page.getByTestId("response-empty")).toBeVisible();
  });

  test("without isolation the page says so and still runs", async ({ browser }) => {
    const context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    // Serve every page response without the COOP/COEP headers.
    await page.route("**/*", async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers["cross-origin-opener-policy"];
      delete headers["cross-origin-embedder-policy"];
      await route.fulfill({ response, headers });
    });
    const isolated = new PlaygroundPage(page);
    await isolated.open();
    await expect(page.getByTestId("no-shared-memory")).toBeVisible();
    await isolated.selectExample("shdict-atomic");
    await isolated.runAndWait();
    await expect(isolated.responses).toHaveCount(2);
    await isolated.screenshot("without-isolation-notice");
    await context.close();
  });
});

