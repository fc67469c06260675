/**
 * Frame time of the timeline canvas in Chromium for synthetic traces of
 * 100,000 events on 4 workers: requests with a content phase, a body
 * filter, and repeated shared dict operations, logs, sleeps (yield and
 * resume) and cached-time refreshes. Two shapes are timed: 100 requests
 * of about 1,000 events, and about 6,000 requests of 16 events (one
 * timeline row per request, so the rows are far taller than the canvas).
 *
 * The drawing code (buildTimelineModel and drawTimeline, the same modules
 * the page uses) is bundled with esbuild into a blank page, so no server
 * is needed. Each frame is one drawTimeline call plus a 1-pixel
 * getImageData, which makes Chromium finish rasterizing before the clock
 * stops. The canvas is 1,400 x 800 CSS pixels, a window onto the rows
 * that the page scrolls vertically. React's own render work is not
 * included.
 *
 * Run: npx tsx bench/timelineFrame.ts [FRAMES]   (default 100 frames per
 * view; results go in BENCHMARKS.md)
 */
import { build } from "esbuild";
import { chromium } from "playwright-core";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Runs in the page: builds the trace, the model and times the frames. */
const HARNESS = `
import { buildTimelineModel } from "./src/ui/timeline/timelineModel";
import { drawTimeline, timelineHeight } from "./src/ui/timeline/timelineRender";
import { buildTimelineIndex } from "./src/ui/timeline/timelineIndex";
import { panBy, zoomAt } from "./src/ui/timeline/timelineViewport";

const EVENT_TARGET = 100000;
const WORKERS = 4;
const VIEWPORT_HEIGHT = 800;
const WARMUP_FRAMES = 3;

function syntheticTrace(requests) {
  const loops = Math.max(1, Math.round((EVENT_TARGET / requests - 13) / 7));
  const trace = [];
  const push = (event) => trace.push({ ...event, seq: trace.length });
  for (let w = 0; w < WORKERS; w++) {
    push({ kind: "process-start", time: 0, pid: 1001 + w, process: "worker", workerId: w });
  }
  const clocks = new Array(WORKERS).fill(300);
  const source = { chunkName: "content_by_lua(nginx.conf:20)", line: 1 };
  for (let connection = 1; trace.length < EVENT_TARGET; connection++) {
    const w = connection % WORKERS;
    const pid = 1001 + w;
    let t = clocks[w];
    const at = (kind, extra) => push({ kind, time: t, pid, connection, ...extra });
    push({ kind: "cached-time-update", time: t, pid, cachedTime: Math.floor(t), cause: "event-loop" });
    at("request-start", { method: "GET", uri: "/t" });
    at("phase-start", { phase: "content", source });
    for (let loop = 0; loop < loops; loop++) {
      t += 0.02;
      at("shdict", { dict: "d", op: "incr", key: "k", result: "1", source: { ...source, line: 3 } });
      at("log", { level: "notice", message: "hello" });
      at("yield", { phase: "content", reason: "sleep" });
      at("sleep", { seconds: 0.001 });
      t += 1;
      push({ kind: "cached-time-update", time: t, pid, cachedTime: Math.floor(t), cause: "event-loop" });
      at("resume", { phase: "content" });
      at("response-body", { bytes: 6, isLast: false });
    }
    t += 0.03;
    push({ kind: "cached-time-update", time: t, pid, cachedTime: Math.floor(t), cause: "update_time" });
    at("response-header", { status: 200 });
    at("phase-start", { phase: "body_filter" });
    at("phase-end", { phase: "body_filter", result: "done" });
    at("response-body", { bytes: 6, isLast: true });
    at("phase-end", { phase: "content", result: "done" });
    at("request-end", { status: 200, outcome: "complete" });
    clocks[w] = t + 0.5;
  }
  return trace;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), frames: times.length };
}

window.runBench = (frames, requests) => {
  const trace = syntheticTrace(requests);
  const endTime = trace[trace.length - 1].time + 1;
  const modelStart = performance.now();
  const model = buildTimelineModel(trace, endTime);
  buildTimelineIndex(model);
  const modelMs = performance.now() - modelStart;
  const width = 1400;
  const contentHeight = timelineHeight(model);
  const height = Math.min(contentHeight, VIEWPORT_HEIGHT);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  document.body.append(canvas);
  const ctx = canvas.getContext("2d");
  const size = { width, height };
  const plotWidth = width - 170;
  const frame = (view, cursor, scrollTop = 0) => {
    const start = performance.now();
    drawTimeline(ctx, model, view, "time", size, cursor, scrollTop);
    ctx.getImageData(0, 0, 1, 1);
    return performance.now() - start;
  };
  // Times frames 0..frames-1 of a view after WARMUP_FRAMES untimed ones,
  // so the numbers are steady-state drawing, not the JIT's first pass.
  const measure = (frameAt) => {
    for (let i = 0; i < WARMUP_FRAMES; i++) frameAt(-1 - i);
    const times = [];
    for (let i = 0; i < frames; i++) times.push(frameAt(i));
    return summary(times);
  };
  const fit = { ...model.activeRange };
  const results = {};
  const cursorAt = (i) => trace[Math.abs(i * 997) % trace.length];
  results.wholeTrace = measure((i) => frame(fit, cursorAt(i)));
  // Scroll through the rows with the whole trace in view.
  const maxScroll = Math.max(0, contentHeight - height);
  results.scrollWhole = measure((i) => frame(fit, null, Math.abs(i * 997) % (maxScroll + 1)));
  // Pan at a zoom where one tenth of the run fills the plot.
  const tenth = zoomAt(fit, 0.1, 0, plotWidth);
  results.panTenth = measure((i) => frame(panBy(tenth, -8 * i, plotWidth), null));
  // Pan at a zoom of 20 ms, where most marks are drawn one by one.
  const narrow = { start: fit.start + 100, end: fit.start + 120 };
  results.pan20ms = measure((i) => frame(panBy(narrow, -8 * i, plotWidth), null));
  const rows = model.lanes.reduce((sum, lane) => sum + lane.rows.length, 0);
  return { events: trace.length, rows, contentHeight, canvasHeight: height, modelMs, ...results };
};
`;

async function bundleHarness(): Promise<string> {
  const output = await build({
    stdin: { contents: HARNESS, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    format: "iife",
    write: false,
    logLevel: "warning",
  });
  return output.outputFiles[0].text;
}

async function main(): Promise<void> {
  const frames = Number(process.argv[2] ?? 100);
  const script = await bundleHarness();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_FLAGS,
  });
  try {
    const page = await browser.newPage();
    for (const requests of [100, 6000]) {
      await page.setContent("<!doctype html><body></body>");
      await page.addScriptTag({ content: script });
      const result = await page.evaluate(
        ([count, shape]) => {
          type Run = (frames: number, requests: number) => unknown;
          return (window as unknown as { runBench: Run }).runBench(count, shape);
        },
        [frames, requests],
      );
      process.stdout.write(`${JSON.stringify({ requests, ...(result as object) })}\n`);
    }
  } finally {
    await browser.close();
  }
}

await main();
