import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { PlaygroundPage } from "./pages/PlaygroundPage";
import { TestNginxPage } from "./pages/TestNginxPage";

const TWO_BLOCKS = `use Test::Nginx::Socket::Lua 'no_plan';
run_tests();

__DATA__

=== TEST 1: says ok
--- config
    location = /t {
        content_by_lua_block {
            ngx.say("ok")
            ngx.log(ngx.ERR, "checked here")
        }
    }
--- request
GET /t
--- response_body
ok
--- error_log
checked here

=== TEST 2: says no
--- config
    location = /t {
        content_by_lua_block {
            ngx.say("no")
        }
    }
--- request
GET /t
--- response_body
ok
`;

test.describe("Test::Nginx import and export", () => {
  let playground: PlaygroundPage;
  let testNginx: TestNginxPage;

  test.beforeEach(async ({ page }) => {
    playground = new PlaygroundPage(page);
    testNginx = new TestNginxPage(page);
  });

  test.afterEach(async ({}, testInfo) => {
    const name = testInfo.title.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    await playground.screenshot(name);
    expect(playground.pageErrors).toEqual([]);
  });

  test("pasted .t runs one pass and one fail", async () => {
    await playground.open();
    await testNginx.importPasted(TWO_BLOCKS);
    await expect(testNginx.blocks).toHaveCount(2);
    await testNginx.runAllAndWait();

    const [first, second] = await testNginx.blocks.all();
    await expect(first).toHaveAttribute("data-status", "pass");
    await expect(second).toHaveAttribute("data-status", "fail");
    await expect(testNginx.summary).toHaveText("1 passed, 1 failed");
    const failed = testNginx.failedResults(second);
    await expect(failed).toHaveCount(1);
    await expect(failed).toHaveAttribute("data-section", "response_body");
    const diff = failed.getByTestId("tn-diff");
    await expect(diff).toContainText("-ok");
    await expect(diff).toContainText("+no");
    // Importing left the workspace alone.
    await expect(playground.editor.locator(".view-lines")).toContainText("rewrite_by_lua_block");
  });

  test("exported workspace re-imports and passes", async ({ page }) => {
    await playground.open();
    await playground.runAndWait();
    await testNginx.exportButton.click();
    await testNginx.exportResults.check();
    const text = await testNginx.exportText.inputValue();
    expect(text).toContain("--- response_body\nhello from content\n");
    expect(text).toContain("--- error_log\n");

    const downloadEvent = page.waitForEvent("download");
    await testNginx.exportDownload.click();
    const download = await downloadEvent;
    expect(download.suggestedFilename()).toBe("phases.t");
    const saved = await readFile(await download.path(), "utf8");
    expect(saved).toBe(text);
    await testNginx.exportClose.click();

    await testNginx.importPasted(saved);
    await expect(testNginx.blocks).toHaveCount(1);
    await testNginx.runAllAndWait();
    await expect(testNginx.blocks.first()).toHaveAttribute("data-status", "pass");
    await expect(testNginx.summary).toHaveText("1 passed, 0 failed");
  });

  test("opening a block keeps the old workspace for undo", async () => {
    await playground.open();
    await testNginx.importPasted(TWO_BLOCKS);
    await testNginx.blocks.nth(1).getByTestId("tn-open").click();
    await expect(playground.editor.locator(".view-lines")).toContainText("listen 18080");
    // The playground layout, not the oracle runner's harness lines.
    await expect(playground.editor.locator(".view-lines")).not.toContainText("load_module");
    await expect(playground.undoReset).toHaveText("Undo open");
    await playground.runAndWait();
    await expect(playground.page.getByTestId("response-body")).toHaveText("no\n");
    await playground.undoReset.click();
    await expect(playground.editor.locator(".view-lines")).toContainText("rewrite_by_lua_block");
  });
});
