import { expect, type Locator, type Page } from "@playwright/test";

/** The Test::Nginx import and export dialogs and the panel, by test id. */
export class TestNginxPage {
  readonly importButton: Locator;
  readonly exportButton: Locator;
  readonly importText: Locator;
  readonly importSubmit: Locator;
  readonly panel: Locator;
  readonly blocks: Locator;
  readonly runAll: Locator;
  readonly summary: Locator;
  readonly exportResults: Locator;
  readonly exportText: Locator;
  readonly exportDownload: Locator;
  readonly exportClose: Locator;

  constructor(readonly page: Page) {
    this.importButton = page.getByTestId("import-t");
    this.exportButton = page.getByTestId("export-t");
    this.importText = page.getByTestId("tn-import-text");
    this.importSubmit = page.getByTestId("tn-import-submit");
    this.panel = page.getByTestId("testnginx-panel");
    this.blocks = this.panel.getByTestId("tn-block");
    this.runAll = page.getByTestId("tn-run-all");
    this.summary = page.getByTestId("tn-summary");
    this.exportResults = page.getByTestId("tn-export-results");
    this.exportText = page.getByTestId("tn-export-text");
    this.exportDownload = page.getByTestId("tn-export-download");
    this.exportClose = page.getByTestId("tn-export-close");
  }

  /** Pastes `text` into the import dialog and imports it. */
  async importPasted(text: string): Promise<void> {
    await this.importButton.click();
    await this.importText.fill(text);
    await this.importSubmit.click();
    await expect(this.panel).toBeVisible();
  }

  /** Clicks Run all and waits until no block is left unrun. */
  async runAllAndWait(): Promise<void> {
    await this.runAll.click();
    await expect(this.runAll).toHaveText("Run all", { timeout: 60_000 });
    for (const block of await this.blocks.all()) {
      await expect(block).toHaveAttribute("data-status", /^(pass|fail)$/);
    }
  }

  /** Returns the failed results of one block. */
  failedResults(block: Locator): Locator {
    return block.locator('[data-testid="tn-result"][data-passed="false"]');
  }
}
