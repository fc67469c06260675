import { expect, test } from "@playwright/test";
import { runScenario } from "../src/engine/run";
import { traceDigest } from "../src/engine/trace/traceDigest";
import { EXAMPLES } from "../src/ui/examples";
import { parseHeaders, scenarioFromWorkspace, workspaceFromExample } from "../src/ui/store/workspace";
import { PlaygroundPage } from "./pages/PlaygroundPage";

/**
 * The same scenario and seed give a byte-identical trace in Node (this
 * test's process) and in Chromium (the page's engine worker), again on a
 * second run in the page, and with a Web Worker per process.
 */
test.describe("determinism across Node and the browser", () => {
  for (const example of EXAMPLES) {
    test(`${example.id}: same trace digest`, async ({ page }) => {
      // The first run with a Web Worker per process compiles the engine in each.
      test.setTimeout(120_000);
      const workspace = workspaceFromExample(example);
      const headers = parseHeaders(workspace.headersText);
      if ("error" in headers) throw new Error(headers.error);
      const expected = traceDigest(runScenario(scenarioFromWorkspace(workspace, headers.headers)).trace);
      const playground = new PlaygroundPage(page);
      await playground.open();
      await playground.selectExample(example.id);
      await playground.runAndWait();
      await expect(playground.timeline).toHaveAttribute("data-trace-digest", expected);
      await playground.runAndWait();
      await expect(playground.timeline).toHaveAttribute("data-trace-digest", expected);
      // Each process in a Web Worker of its own, taking turns: the same trace.
      await page.getByTestId("run-mode").selectOption("lockstep");
      await playground.runAndWait();
      await expect(page.getByTestId("run-error")).toHaveCount(0);
      await expect(playground.timeline).toHaveAttribute("data-trace-digest", expected);
    });
  }
});
