import { expect, test, type Locator, type Page } from "@playwright/test";
import { PlaygroundPage } from "./pages/PlaygroundPage";

/** The timeline's playback controls and canvas, by test id. */
class TimelinePage {
  readonly canvas: Locator;
  readonly play: Locator;
  readonly pause: Locator;
  readonly stepForward: Locator;
  readonly stepBack: Locator;
  readonly speed: Locator;
  readonly event: Locator;
  readonly editorPane: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId("timeline");
    this.play = page.getByTestId("playback-play");
    this.pause = page.getByTestId("playback-pause");
    this.stepForward = page.getByTestId("playback-step-forward");
    this.stepBack = page.getByTestId("playback-step-back");
    this.speed = page.getByTestId("playback-speed");
    this.event = page.getByTestId("playback-event");
    this.editorPane = page.getByTestId("editor-pane");
  }

  async cursor(): Promise<number> {
    return Number(await this.canvas.getAttribute("data-cursor"));
  }

  /**
   * Returns a canvas point (CSS pixels) whose colour is within 8 of `rgb`
   * on each channel, searching right of the label column, or null.
   */
  async findColour(rgb: [number, number, number]): Promise<{ x: number; y: number } | null> {
    return this.canvas.evaluate((element, target) => {
      const canvas = element as HTMLCanvasElement;
      const ratio = canvas.width / canvas.clientWidth;
      const ctx = canvas.getContext("2d");
      if (!ctx) return null;
      const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (let y = 0; y < height; y++) {
        for (let x = Math.ceil(175 * ratio); x < width; x++) {
          const at = (y * width + x) * 4;
          const isMatch = [0, 1, 2].every((c) => Math.abs(data[at + c] - target[c]) <= 8);
          if (isMatch) return { x: x / ratio, y: y / ratio };
        }
      }
      return null;
    }, rgb);
  }

  /** Counts canvas pixels within 8 of `rgb` on each channel. */
  async countColour(rgb: [number, number, number]): Promise<number> {
    return this.canvas.evaluate((element, target) => {
      const canvas = element as HTMLCanvasElement;
      const ctx = canvas.getContext("2d");
      if (!ctx) return 0;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let at = 0; at < data.length; at += 4) {
        if ([0, 1, 2].every((c) => Math.abs(data[at + c] - target[c]) <= 8)) count++;
      }
      return count;
    }, rgb);
  }
}

const CONTENT_ORANGE: [number, number, number] = [0xf2, 0x8e, 0x2b];
const CACHED_TIME_BLUE: [number, number, number] = [0x1f, 0x77, 0xb4];
const CURSOR_RED: [number, number, number] = [0xc0, 0x00, 0x00];

test.describe("timeline", () => {
  let playground: PlaygroundPage;
  let timeline: TimelinePage;

  test.beforeEach(async ({ page }) => {
    playground = new PlaygroundPage(page);
    timeline = new TimelinePage(page);
  });

  test.afterEach(async ({}, testInfo) => {
    const name = testInfo.title.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    await playground.screenshot(`timeline-${name}`);
  });

  test("step forward and back is exact", async () => {
    await playground.open();
    await playground.runAndWait();
    await expect(timeline.canvas).toHaveAttribute("data-cursor", "-1");
    await expect(timeline.stepBack).toBeDisabled();
    const texts: string[] = [];
    for (let step = 0; step < 6; step++) {
      await timeline.stepForward.click();
      await expect(timeline.canvas).toHaveAttribute("data-cursor", String(step));
      texts.push((await timeline.event.textContent()) ?? "");
    }
    expect(texts[5]).toMatch(/, [\d.]+ ms$/);
    expect(new Set(texts).size).toBe(6);
    for (let step = 4; step >= 0; step--) {
      await timeline.stepBack.click();
      await expect(timeline.event).toHaveText(texts[step]);
    }
    expect(await timeline.countColour(CURSOR_RED)).toBeGreaterThan(20);
  });

  test("play advances and pause stops", async () => {
    await playground.open();
    await playground.runAndWait();
    await timeline.speed.selectOption("4");
    await timeline.play.click();
    await expect.poll(() => timeline.cursor(), { timeout: 10_000 }).toBeGreaterThan(3);
    await timeline.pause.click();
    const stopped = await timeline.cursor();
    await playground.page.waitForTimeout(600);
    expect(await timeline.cursor()).toBe(stopped);
    await expect(timeline.play).toBeVisible();
  });

  test("describes the event with its source", async () => {
    await playground.open();
    await playground.runAndWait();
    for (let step = 0; step < 12; step++) await timeline.stepForward.click();
    const texts: string[] = [];
    for (let step = 0; step < 12; step++) {
      texts.push((await timeline.event.textContent()) ?? "");
      await timeline.stepBack.click();
    }
    const contentStart = texts.find((text) => text.includes("content phase starts"));
    expect(contentStart).toMatch(/^\*1 content phase starts at content_by_lua\(nginx\.conf:\d+\):1, /);
  });

  test("cached-time line shows the refreshes", async () => {
    await playground.open();
    await playground.selectExample("cached-time");
    await playground.runAndWait();
    await expect(timeline.canvas).toHaveAttribute(
      "data-cached-time-refreshes",
      /event-loop:\d+,update_time:1/,
    );
    expect(await timeline.countColour(CACHED_TIME_BLUE)).toBeGreaterThan(50);
    await expect(playground.page.getByTestId("cached-time-legend")).toContainText(
      "ngx.update_time()",
    );
  });

  test("clicking a span selects it in the editor", async () => {
    await playground.open();
    await playground.runAndWait();
    const point = await timeline.findColour(CONTENT_ORANGE);
    expect(point).not.toBeNull();
    await timeline.canvas.click({ position: { x: point!.x + 1, y: point!.y + 2 } });
    await expect(timeline.event).toContainText("content phase starts");
    const line = Number(await timeline.editorPane.getAttribute("data-cursor-line"));
    expect(line).toBeGreaterThan(0);
    await expect(playground.editor.locator(".playback-line")).toHaveCount(1);
    const highlighted = playground.editor.locator(".playback-line-gutter");
    await expect(highlighted).toBeVisible();
  });

  test("clicking a line number moves the cursor", async () => {
    await playground.open();
    await playground.runAndWait();
    const point = await timeline.findColour(CONTENT_ORANGE);
    await timeline.canvas.click({ position: { x: point!.x + 1, y: point!.y + 2 } });
    const line = await timeline.editorPane.getAttribute("data-cursor-line");
    await timeline.stepBack.click();
    await timeline.stepBack.click();
    await expect(timeline.editorPane).not.toHaveAttribute("data-cursor-line", line ?? "");
    await playground.editor
      .locator(".line-numbers")
      .getByText(line ?? "", { exact: true })
      .click();
    await expect(timeline.editorPane).toHaveAttribute("data-cursor-line", line ?? "");
    await expect(timeline.event).toContainText("content phase starts");
  });
});

test.describe("process view", () => {
  test("follows the playback cursor", async ({ page }) => {
    const playground = new PlaygroundPage(page);
    const timeline = new TimelinePage(page);
    await playground.open();
    await playground.runAndWait();
    const heading = page.getByTestId("process-state-heading");
    const rows = page.getByTestId("process-row");
    await expect(heading).toHaveText("state at the end");
    await timeline.stepForward.click();
    await expect(heading).toContainText("state at event 1");
    await expect(rows.first()).toHaveAttribute("data-state", "idle");
    await expect(page.locator('[data-testid=process-row][data-state="not-started"]')).not.toHaveCount(0);
    const running = page.locator('[data-testid=process-row][data-state="running"]');
    for (let step = 0; step < 40 && (await running.count()) === 0; step++) {
      await timeline.stepForward.click();
    }
    await expect(running.first().getByTestId("process-state")).toContainText(/running request \*\d+ \(/);
  });
});

test.describe("timeline rows", () => {
  /** Loads a lesson's workspace, follows its first `steps` steps and sends. */
  async function followLesson(page: Page, id: string, steps: number): Promise<PlaygroundPage> {
    const playground = new PlaygroundPage(page);
    await playground.open();
    await page.getByTestId("lessons-picker").selectOption(id);
    const panel = page.getByTestId("lessons-panel");
    await panel.getByTestId("lesson-load").click();
    for (let i = 0; i < steps; i++) {
      const apply = panel.getByTestId("lesson-step").nth(i).getByTestId("lesson-apply");
      if (await apply.count()) await apply.click();
    }
    await playground.runAndWait();
    return playground;
  }

  async function rowLabels(page: Page): Promise<string[]> {
    return ((await page.getByTestId("timeline").getAttribute("data-rows")) ?? "").split("|");
  }

  test("each light thread has a row under its request", async ({ page }) => {
    const playground = await followLesson(page, "thread", 1);
    const labels = await rowLabels(page);
    const threads = labels.filter((label) => /^\*1 light thread \d+$/.test(label));
    expect(threads).toHaveLength(2);
    expect(labels.indexOf(threads[0])).toBe(labels.indexOf("*1 GET /threads") + 1);
    await expect(page.getByTestId("timeline")).toHaveAttribute("data-phases", /light thread/);
    await playground.screenshot("timeline-light-thread-rows");
  });

  test("each subrequest has a row with its own phases", async ({ page }) => {
    const playground = await followLesson(page, "subrequest", 2);
    const labels = await rowLabels(page);
    expect(labels.filter((label) => label.startsWith("*1 sr /sub"))).toHaveLength(2);
    await playground.screenshot("timeline-subrequest-rows");
  });
});
