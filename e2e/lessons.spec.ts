import { expect, test } from "@playwright/test";
import { LESSONS } from "../src/ui/lessons";
import { PlaygroundPage } from "./pages/PlaygroundPage";

/**
 * Every lesson, followed step by step in the page: applying a step's
 * change and sending makes that step's check read done, which is what the
 * lesson claims the learner will see.
 */
test.describe("lessons", () => {
  for (const lesson of LESSONS) {
    test(`${lesson.id}: each checked step is done after following it`, async ({ page }) => {
      const playground = new PlaygroundPage(page);
      await playground.open();
      await page.getByTestId("lessons-picker").selectOption(lesson.id);
      const panel = page.getByTestId("lessons-panel");
      await expect(panel).toHaveAttribute("data-lesson", lesson.id);
      await panel.getByTestId("lesson-load").click();
      const steps = panel.getByTestId("lesson-step");
      await expect(steps).toHaveCount(lesson.steps.length);
      for (let i = 0; i < lesson.steps.length; i++) {
        const step = steps.nth(i);
        const apply = step.getByTestId("lesson-apply");
        if (await apply.count()) await apply.click();
        if (lesson.steps[i].isDone) {
          await playground.runAndWait();
          await expect(step).toHaveAttribute("data-status", "done");
        }
      }
      await playground.screenshot(`lesson-${lesson.id}`);
    });
  }
});
