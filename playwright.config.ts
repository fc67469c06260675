import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests in Debian's Chromium (Playwright's own browser
 * downloads are not used). CHROMIUM_PATH overrides the binary.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  throw new Error(
    `Chromium not found at ${chromiumPath}: the e2e tests need it. ` +
      "Install it with `apt-get install -y chromium` (Debian/Ubuntu) " +
      "or set CHROMIUM_PATH to a Chromium binary.",
  );
}

const PORT = 5179;
const OUT_DIR = "node_modules/.e2e-dist";

/** Set E2E_BASE_URL to test a server that is already running instead. */
const externalUrl = process.env.E2E_BASE_URL;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  reporter: "list",
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  use: {
    baseURL: externalUrl ?? `http://127.0.0.1:${PORT}`,
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: externalUrl
    ? undefined
    : {
        // The production build, served by `vite preview` with the same
        // COOP and COEP headers as the dev server. It goes to its own folder
        // and skips Vite's process lock, so a running `npm run dev` or
        // `npm run preview` does not block the tests.
        command:
          `npx vite build --logLevel warn --outDir ${OUT_DIR} --emptyOutDir && ` +
          `npx vite preview --outDir ${OUT_DIR} --bypass-lock ` +
          `--host 127.0.0.1 --port ${PORT} --strictPort`,
        url: `http://127.0.0.1:${PORT}`,
        reuseExistingServer: false,
        timeout: 240_000,
      },
});
