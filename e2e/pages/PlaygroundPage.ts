import { expect, type Locator, type Page } from "@playwright/test";

/** The playground page as the tests drive it, through data-testid hooks. */
export class PlaygroundPage {
  readonly picker: Locator;
  readonly send: Locator;
  readonly copies: Locator;
  readonly uri: Locator;
  readonly editor: Locator;
  readonly responses: Locator;
  readonly logLines: Locator;
  readonly stderrLines: Locator;
  readonly timeline: Locator;
  readonly startupError: Locator;
  readonly runError: Locator;
  readonly explanation: Locator;
  readonly reset: Locator;
  readonly undoReset: Locator;
  readonly paneErrors: Locator;
  /** Uncaught errors the page raised since this object was made. */
  readonly pageErrors: Error[] = [];

  constructor(readonly page: Page) {
    this.picker = page.getByTestId("example-picker");
    this.send = page.getByTestId("send");
    this.copies = page.getByTestId("copies");
    this.uri = page.getByTestId("uri");
    this.editor = page.getByTestId("editor");
    this.responses = page.getByTestId("response");
    this.logLines = page.getByTestId("error-log-lines").getByTestId("log-line");
    this.stderrLines = page.getByTestId("stderr-lines").getByTestId("log-line");
    this.timeline = page.getByTestId("timeline");
    this.startupError = page.getByTestId("startup-error");
    this.runError = page.getByTestId("run-error");
    this.explanation = page.getByTestId("explanation");
    this.reset = page.getByTestId("reset-example");
    this.undoReset = page.getByTestId("undo-reset");
    this.paneErrors = page.getByTestId("pane-error");
    page.on("pageerror", (error) => this.pageErrors.push(error));
  }

  /** Opens the page without clearing storage (a second tab, a reload). */
  async openKeepingStorage(): Promise<void> {
    await this.page.goto("/");
    await expect(this.editor.locator(".view-lines")).toBeVisible();
  }

  /** Returns the timeline's visible x range. */
  async timelineView(): Promise<{ start: number; end: number }> {
    const start = await this.timeline.getAttribute("data-view-start");
    const end = await this.timeline.getAttribute("data-view-end");
    return { start: Number(start), end: Number(end) };
  }

  /** Opens the page with empty storage and waits for Monaco's text. */
  async open(): Promise<void> {
    await this.page.goto("/");
    await this.page.evaluate(() => localStorage.clear());
    await this.page.reload();
    await expect(this.editor.locator(".view-lines")).toBeVisible();
  }

  async selectExample(id: string): Promise<void> {
    await this.picker.selectOption(id);
    await expect(this.editor.locator(".monaco-editor")).toBeVisible();
  }

  /** Clicks Send and waits until the run count goes up. */
  async runAndWait(trigger: () => Promise<void> = () => this.send.click()): Promise<void> {
    const app = this.page.locator(".app");
    const before = Number(await app.getAttribute("data-run-count"));
    await trigger();
    await expect(app).toHaveAttribute("data-run-count", String(before + 1), {
      timeout: 30_000,
    });
  }

  /**
   * Replaces the editor's whole text. Monaco indents typed lines itself,
   * so leading spaces are dropped to keep it from indenting twice.
   */
  async replaceConfig(text: string): Promise<void> {
    const unindented = text
      .split("\n")
      .map((line) => line.trimStart())
      .join("\n");
    await this.editor.locator(".view-lines").click();
    await this.page.keyboard.press("ControlOrMeta+A");
    await this.page.keyboard.press("Delete");
    await this.page.keyboard.insertText(unindented);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
  }
}
