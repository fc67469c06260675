import { expect, test } from "@playwright/test";
import { PlaygroundPage } from "./pages/PlaygroundPage";

const FOUR_WORKERS = `worker_processes 4;
error_log logs/error.log notice;
events { worker_connections 1024; }
http {
lua_shared_dict counters 1m;
server {
listen 8080;
location = /atomic {
content_by_lua_block {
local n = ngx.shared.counters:incr("atomic", 1, 0)
ngx.say(ngx.worker.id(), " ", n)
}
}
location = /racy {
content_by_lua_block {
local n = ngx.shared.counters:get("racy") or 0
ngx.sleep(0.01)
ngx.shared.counters:set("racy", n + 1)
ngx.say(ngx.worker.id())
}
}
}
}
`;

test.describe("real-threads mode", () => {
  test("runs each worker in its own thread with one shared dict", async ({ page }) => {
    const playground = new PlaygroundPage(page);
    await playground.open();
    await playground.replaceConfig(FOUR_WORKERS);
    await playground.uri.fill("/atomic");
    await playground.copies.fill("8");
    await page.getByTestId("run-mode").selectOption("threads");
    await expect(page.getByTestId("explore")).toBeDisabled();
    await playground.runAndWait();
    await expect(page.getByTestId("threads-notice")).toBeVisible();
    const bodies = await page.getByTestId("response-body").allTextContents();
    expect(bodies).toHaveLength(8);
    // incr is atomic across the threads: the counts are 1..8, each once.
    const counts = bodies.map((body) => Number(body.trim().split(" ")[1])).sort((a, b) => a - b);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const workerIds = new Set(bodies.map((body) => body.trim().split(" ")[0]));
    expect(workerIds).toEqual(new Set(["0", "1", "2", "3"]));
    const lanes = (await playground.timeline.getAttribute("data-lanes")) ?? "";
    for (const id of [0, 1, 2, 3]) expect(lanes).toContain(`worker ${id} (`);
    await playground.screenshot("threads-incr");

    await playground.uri.fill("/racy");
    await playground.runAndWait();
    // Two requests per worker both read before either writes: an update is lost.
    await expect(page.locator('[data-testid="race"][data-kind="lost update"]').first()).toBeVisible();
    await playground.screenshot("threads-racy");
  });

  test("reloads by starting a new generation of worker threads", async ({ page }) => {
    const playground = new PlaygroundPage(page);
    await playground.open();
    await playground.replaceConfig(FOUR_WORKERS);
    await playground.uri.fill("/atomic");
    await page.getByTestId("steps").fill("reload\nGET /atomic");
    await page.getByTestId("run-mode").selectOption("threads");
    await playground.runAndWait();
    await expect(page.getByTestId("threads-notice")).toBeVisible();
    const lanes = ((await playground.timeline.getAttribute("data-lanes")) ?? "").split(",");
    expect(lanes.filter((lane) => lane.startsWith("worker "))).toHaveLength(8);
    await expect(playground.logLines.filter({ hasText: "signal 1 (SIGHUP) received" })).toHaveCount(1);
    // The new generation is idle, not exiting: it started after the signal.
    const exiting = page.locator('[data-testid=process-row] [data-testid=process-state]', { hasText: "exiting" });
    await expect(exiting).toHaveCount(0);
    await playground.screenshot("threads-reload");
  });
});
