import { expect, test } from "@playwright/test";
import { PlaygroundPage } from "./pages/PlaygroundPage";

const configWith = (location: string, contentLua: string) => `worker_processes 1;
events {
worker_connections 1024;
}
http {
server {
listen 8080;
${location} {
content_by_lua_block {
${contentLua}
}
}
}
}
`;

test.describe("ui defects", () => {
  let playground: PlaygroundPage;

  test.beforeEach(async ({ page }) => {
    playground = new PlaygroundPage(page);
  });

  test.afterEach(async ({}, testInfo) => {
    const name = testInfo.title.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    await playground.screenshot(name);
  });

  test("200000 lines keep the page and thin the timeline", async () => {
    test.setTimeout(120_000);
    await playground.open();
    const lua = "for i = 1, 200000 do ngx.say(i) end";
    await playground.replaceConfig(configWith("location = /t", lua));
    await playground.runAndWait();
    await expect(playground.page.getByTestId("response-status")).toHaveText("HTTP/1.1 200 OK");
    await expect(playground.timeline).toHaveAttribute("data-events", /^2000\d\d$/);
    await expect(playground.page.getByTestId("timeline-thinned")).toContainText(
      "Drawing thinned at this zoom",
    );
    await expect(playground.editor.locator(".view-lines")).toContainText("200000");
    await expect(playground.paneErrors).toHaveCount(0);
    expect(playground.pageErrors.map(String)).toEqual([]);
  });

  test("location forms tokenize without errors", async () => {
    await playground.open();
    for (const location of ["location /", "location /t", "location @x", "location ~* \\.lua$"]) {
      await playground.replaceConfig(configWith(location, 'ngx.say("hi")'));
      await expect(playground.editor.locator(".view-lines")).toContainText(location);
    }
    // Monaco tokenizes lines as they are drawn; give it a frame.
    await playground.page.waitForTimeout(300);
    expect(playground.pageErrors.map(String)).toEqual([]);
  });

  test("two tabs keep edits of two examples", async ({ context }) => {
    await playground.open();
    const second = new PlaygroundPage(await context.newPage());
    await second.openKeepingStorage();
    await playground.uri.fill("/from-tab-1");
    await second.selectExample("exit");
    await second.uri.fill("/from-tab-2");
    // Tab 2 has not changed the phases example, so it takes tab 1's edit.
    await second.selectExample("phases");
    await expect(second.uri).toHaveValue("/from-tab-1");
    await playground.page.reload();
    await expect(playground.uri).toHaveValue("/from-tab-1");
    await playground.selectExample("exit");
    await expect(playground.uri).toHaveValue("/from-tab-2");
  });

  test("undo reset brings the edit back", async () => {
    await playground.open();
    const shipped = await playground.uri.inputValue();
    await playground.uri.fill("/edited");
    await expect(playground.undoReset).toHaveCount(0);
    await playground.reset.click();
    await expect(playground.uri).toHaveValue(shipped);
    await expect(playground.undoReset).toBeVisible();
    await playground.page.reload();
    await playground.undoReset.click();
    await expect(playground.uri).toHaveValue("/edited");
    await expect(playground.undoReset).toHaveCount(0);
  });

  test("run error reads as a sentence", async () => {
    await playground.open();
    await playground.page.getByTestId("headers").fill("no colon here");
    await playground.runAndWait();
    const banner = playground.runError;
    await expect(banner.locator("strong")).toHaveText(/^Invalid header on line 1: /);
    await expect(banner.locator("strong")).not.toContainText("INVALID_REQUEST");
    await expect(banner).toHaveAttribute("data-error-code", "INVALID_REQUEST");
  });

  test("response shows Server and Date as sent", async () => {
    await playground.open();
    await playground.runAndWait();
    const headers = playground.page.getByTestId("response-headers");
    await expect(headers).toContainText(/^Server: /m);
    await expect(headers).toContainText(/^Date: /m);
    await expect(headers).toContainText(/^Content-Type: /m);
  });

  test("legend and Fit frame the events", async () => {
    await playground.open();
    await playground.replaceConfig(configWith("location = /t", 'ngx.say("hi")'));
    await playground.runAndWait();
    const legend = playground.page.getByTestId("marker-legend-item");
    await expect(legend).toHaveText([
      "yield",
      "resume",
      "sleep",
      "shdict op",
      "log",
      "cached-time update",
      "timer",
      "light thread or subrequest start/end",
      "race (lost update)",
      "request, response, exit",
    ]);
    await playground.timeline.hover();
    await playground.page.mouse.wheel(0, 400);
    await playground.page.getByTestId("timeline-fit").click();
    const view = await playground.timelineView();
    // The events run from 300 to 300.0001 ms of virtual time.
    expect(view.start).toBeGreaterThan(299.9999);
    expect(view.start).toBeLessThanOrEqual(300);
    expect(view.end).toBeGreaterThanOrEqual(300.0001);
    expect(view.end).toBeLessThan(300.0002);
  });
});
