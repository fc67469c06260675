/**
 * Turns each lesson that brings its own config into a Test::Nginx file of
 * the differential corpus (corpus/lesson-<id>.t), so every Send of the
 * lesson is checked against real nginx as well as in the simulator.
 * Lessons that load a UI example are covered by corpus/example-<id>.t.
 *
 * A lesson becomes one block per distinct Send: the starting workspace,
 * then the workspace after each step's change. A step that changes
 * nothing (read the log, open a pane) looks at the run before it and adds
 * no block.
 *
 * `npx tsx src/cli/lessonCorpus.ts` rewrites the files; a test fails when
 * they no longer match the lessons.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LESSONS } from "../ui/lessons/index";
import type { Lesson } from "../ui/lessons/lesson";
import type { Workspace } from "../ui/store/workspace";
import { splitConf } from "./exampleCorpus";

/** One Send of a lesson: the workspace and the steps it serves. */
export interface LessonRun {
  /** 1-based numbers of the lesson's steps that look at this run. */
  stepNumbers: number[];
  workspace: Workspace;
}

/** Returns a key of the workspace fields that change what a Send does. */
function sendKey(workspace: Workspace): string {
  const { nginxConf, method, uri, headersText, body, copies } = workspace;
  const stepsText = workspace.stepsText ?? "";
  return JSON.stringify([nginxConf, method, uri, headersText, body, copies, stepsText]);
}

/**
 * Lists the distinct Sends of a lesson with its own config, in step
 * order. Throws for a lesson that loads a UI example.
 */
export function lessonRuns(lesson: Lesson): LessonRun[] {
  if (lesson.source.kind !== "workspace") {
    throw new Error(`lesson "${lesson.id}" loads an example; it has no config of its own`);
  }
  let workspace = lesson.source.workspace;
  const runs: LessonRun[] = [];
  lesson.steps.forEach((step, index) => {
    workspace = { ...workspace, ...step.change };
    const last = runs[runs.length - 1];
    if (last && sendKey(last.workspace) === sendKey(workspace)) {
      last.stepNumbers.push(index + 1);
    } else {
      runs.push({ stepNumbers: [index + 1], workspace });
    }
  });
  return runs;
}

/** Formats the request line of a workspace as `--- steps` writes it. */
function requestLine(workspace: Workspace): string {
  const count = workspace.copies > 1 ? `x${workspace.copies} ` : "";
  return `${count}${workspace.method} ${workspace.uri}`;
}

function requestSections(workspace: Workspace): string[] {
  const stepsText = (workspace.stepsText ?? "").trim();
  const out: string[] = [];
  if (stepsText !== "") {
    out.push("--- steps", requestLine(workspace));
    if (workspace.body !== "") out.push(workspace.body);
    out.push(...stepsText.split("\n").map((line) => line.trim()));
  } else {
    out.push("--- request", `${workspace.method} ${workspace.uri}`);
    if (workspace.body !== "") out.push(workspace.body);
    if (workspace.copies > 1) out.push(`--- concurrency ${workspace.copies}`);
  }
  const headers = workspace.headersText.trim();
  if (headers !== "") out.push("--- more_headers", headers);
  return out;
}

/**
 * Tells whether the error-log order depends on how the kernel schedules
 * processes: several workers log at once, or a reload starts a new
 * generation while the old one still logs. Such blocks compare sorted logs.
 */
function hasRacyLogOrder(mainConfig: string, workspace: Workspace): boolean {
  const workers = /^worker_processes\s+(\d+|auto)\s*;/m.exec(mainConfig)?.[1];
  const isMultiWorker = workers !== undefined && workers !== "1";
  const hasReload = /^\s*reload\s*$/m.test(workspace.stepsText ?? "");
  return isMultiWorker || hasReload;
}

function runBlock(lesson: Lesson, run: LessonRun, test: number): string[] {
  const { workspace } = run;
  const sections = splitConf(workspace.nginxConf);
  const steps = run.stepNumbers.join(", ");
  const label = run.stepNumbers.length > 1 ? "steps" : "step";
  const out = [`=== TEST ${test}: ${lesson.title}, ${label} ${steps}`];
  if (sections.mainConfig) out.push("--- main_config", sections.mainConfig);
  if (sections.httpConfig) out.push("--- http_config", sections.httpConfig);
  out.push("--- config", sections.config);
  out.push(...requestSections(workspace));
  if (hasRacyLogOrder(sections.mainConfig, workspace)) out.push("--- sort_error_log");
  out.push("");
  return out;
}

/** Builds the corpus file of a lesson with its own config. */
export function lessonTestFile(lesson: Lesson): string {
  const out = [
    `# The lesson "${lesson.id}" (src/ui/lessons), one block per Send, written by`,
    "# `npx tsx src/cli/lessonCorpus.ts`: change the lesson, not this file.",
    "",
  ];
  lessonRuns(lesson).forEach((run, index) => {
    out.push(...runBlock(lesson, run, index + 1));
  });
  return out.join("\n");
}

/** Returns the corpus file name of a lesson. */
export function lessonFileName(lesson: Lesson): string {
  return `lesson-${lesson.id}.t`;
}

/** Lists the lessons with a config of their own, which need a corpus file. */
export function ownConfigLessons(): Lesson[] {
  return LESSONS.filter((lesson) => lesson.source.kind === "workspace");
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  for (const lesson of ownConfigLessons()) {
    const file = path.join(root, "corpus", lessonFileName(lesson));
    writeFileSync(file, lessonTestFile(lesson));
    process.stdout.write(`wrote ${path.relative(root, file)}\n`);
  }
}

const isEntryPoint = process.argv[1]
  ?.replace(/\\/g, "/")
  .endsWith("cli/lessonCorpus.ts");
if (isEntryPoint) main();
