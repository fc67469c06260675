import { expect, test, type Locator, type Page } from "@playwright/test";
import { PlaygroundPage } from "./pages/PlaygroundPage";

/** The shared dict inspector and the lessons panel, by test id. */
class InspectPage {
  readonly inspector: Locator;
  readonly slider: Locator;
  readonly lessonsPicker: Locator;
  readonly lessonsPanel: Locator;
  readonly lessonSteps: Locator;

  constructor(readonly page: Page) {
    this.inspector = page.getByTestId("shdict-inspector");
    this.slider = page.getByTestId("shdict-slider");
    this.lessonsPicker = page.getByTestId("lessons-picker");
    this.lessonsPanel = page.getByTestId("lessons-panel");
    this.lessonSteps = this.lessonsPanel.getByTestId("lesson-step");
  }

  entry(key: string): Locator {
    return this.inspector.locator(`[data-testid="shdict-entry"][data-key="${key}"]`);
  }

  async openLesson(id: string): Promise<void> {
    await this.lessonsPicker.selectOption(id);
    await expect(this.lessonsPanel).toHaveAttribute("data-lesson", id);
    await this.lessonsPanel.getByTestId("lesson-load").click();
  }
}

test.describe("inspect", () => {
  let playground: PlaygroundPage;
  let inspect: InspectPage;

  test.beforeEach(async ({ page }) => {
    playground = new PlaygroundPage(page);
    inspect = new InspectPage(page);
    await playground.open();
  });

  test.afterEach(async ({}, testInfo) => {
    const name = testInfo.title.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    await playground.screenshot(`inspect-${name}`);
    expect(playground.pageErrors).toEqual([]);
  });

  test("inspector shows the racy counter after a run", async () => {
    await playground.selectExample("shdict-atomic");
    await playground.runAndWait();
    const racy = inspect.entry("racy");
    await expect(racy).toHaveCount(1);
    await expect(racy.getByTestId("shdict-value")).toHaveText("1");
    // Every operation records the zone's memory, so it shows without free_space().
    await expect(inspect.inspector.getByTestId("shdict-memory")).toContainText(
      "capacity 1048576 bytes, free",
    );
    // The first operation is a get of a missing key: the dict is empty.
    await inspect.slider.fill("1");
    await expect(inspect.inspector.getByTestId("shdict-position")).toHaveText(/^1 of /);
    await expect(inspect.entry("racy")).toHaveCount(0);
  });

  test("lesson steps turn done after following them", async () => {
    await inspect.openLesson("shdict-atomic");
    await expect(playground.picker).toHaveValue("shdict-atomic");
    const steps = inspect.lessonSteps;
    await expect(steps).toHaveCount(3);
    await expect(steps.nth(0)).toHaveAttribute("data-status", "not-done");
    await playground.runAndWait();
    await expect(steps.nth(0)).toHaveAttribute("data-status", "done");
    await expect(steps.nth(1)).toHaveAttribute("data-status", "done");
    await expect(steps.nth(2)).toHaveAttribute("data-status", "not-done");
    await steps.nth(2).getByTestId("lesson-apply").click();
    await expect(playground.uri).toHaveValue("/atomic");
    await playground.runAndWait();
    await expect(steps.nth(2)).toHaveAttribute("data-status", "done");
  });

  test("lesson with its own config loads and checks", async () => {
    await inspect.openLesson("shdict-memory");
    await expect(playground.editor.locator(".view-lines")).toContainText("lua_shared_dict small 64k");
    await playground.runAndWait();
    const steps = inspect.lessonSteps;
    await expect(steps.nth(0)).toHaveAttribute("data-status", "done");
    await expect(steps.nth(1)).toHaveAttribute("data-status", "done");
    await expect(inspect.inspector.getByTestId("shdict-memory")).toContainText("capacity 65536");
    await expect(inspect.inspector.getByTestId("shdict-evictions")).toBeVisible();
  });
});
