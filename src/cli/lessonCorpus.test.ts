import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseTestFile } from "../engine/testnginx/parseTestFile";
import { runBlockRecord, type GoldenRecord } from "../engine/testnginx/record";
import { DEBIAN_NGINX, nginxConf } from "../ui/examples/example";
import { LESSONS } from "../ui/lessons/index";
import { lessonWorkspace, type Lesson } from "../ui/lessons/lesson";
import { translateDebianRecord } from "./debianDifferences";
import { checkCorpusFile } from "./diffCheck";
import {
  lessonFileName,
  lessonRuns,
  lessonTestFile,
  ownConfigLessons,
} from "./lessonCorpus";
import { loadScenarioRunner } from "./loadEngine";

const CORPUS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../corpus",
);

const CONF = nginxConf(
  "",
  'location = /t {\n    content_by_lua_block { ngx.say("hi") }\n}',
);

function lessonOf(steps: Lesson["steps"], extra = {}): Lesson {
  return {
    id: "probe",
    title: "Probe",
    summary: "",
    source: {
      kind: "workspace",
      hostExampleId: "phases",
      workspace: lessonWorkspace(CONF, "/t", extra),
    },
    steps,
  };
}

describe("lessonRuns", () => {
  it("merges steps that change nothing into one run", () => {
    const lesson = lessonOf([{ text: "send" }, { text: "read the log" }]);
    const runs = lessonRuns(lesson);
    expect(runs).toHaveLength(1);
    expect(runs[0].stepNumbers).toEqual([1, 2]);
  });

  it("starts a run at each step that changes the request", () => {
    const lesson = lessonOf([
      { text: "send" },
      { text: "other uri", change: { uri: "/u" } },
      { text: "same uri", change: { uri: "/u" } },
      { text: "copies", change: { copies: 3 } },
    ]);
    const runs = lessonRuns(lesson);
    expect(runs.map((run) => run.stepNumbers)).toEqual([[1], [2, 3], [4]]);
    expect(runs[2].workspace.uri).toBe("/u");
    expect(runs[2].workspace.copies).toBe(3);
  });

  it("rejects a lesson that loads an example", () => {
    const lesson: Lesson = {
      ...lessonOf([]),
      source: { kind: "example", exampleId: "phases" },
    };
    expect(() => lessonRuns(lesson)).toThrow("loads an example");
  });
});

describe("lessonTestFile", () => {
  it("writes copies as concurrency", () => {
    const text = lessonTestFile(lessonOf([{ text: "send" }], { copies: 2 }));
    expect(text).toContain("--- request\nGET /t\n--- concurrency 2\n");
    expect(text).not.toContain("--- sort_error_log");
  });

  it("writes the request and steps text as --- steps", () => {
    const lesson = lessonOf([{ text: "send" }], {
      copies: 2,
      stepsText: "reload\nGET /t",
    });
    const text = lessonTestFile(lesson);
    expect(text).toContain("--- steps\nx2 GET /t\nreload\nGET /t\n");
    expect(text).toContain("--- sort_error_log");
  });

  it("sorts the log of a block with two workers", () => {
    const conf = CONF.replace("worker_processes 1;", "worker_processes 2;");
    const lesson = lessonOf([{ text: "send" }], { nginxConf: conf });
    const blocks = parseTestFile(lessonTestFile(lesson));
    expect(blocks).toHaveLength(1);
    expect(blocks[0].sections.sort_error_log).toBeDefined();
  });
});

describe("lesson corpus files", () => {
  for (const lesson of ownConfigLessons()) {
    it(`corpus/${lessonFileName(lesson)} matches the lesson`, () => {
      const file = path.join(CORPUS, lessonFileName(lesson));
      expect(readFileSync(file, "utf8")).toBe(lessonTestFile(lesson));
    });
  }

  it("cover every lesson with a recorded corpus file", () => {
    for (const lesson of LESSONS) {
      const name =
        lesson.source.kind === "example"
          ? `example-${lesson.source.exampleId}`
          : `lesson-${lesson.id}`;
      expect(existsSync(path.join(CORPUS, `${name}.t`)), name).toBe(true);
      expect(existsSync(path.join(CORPUS, "golden", `${name}.json`)), name).toBe(true);
    }
  });
});

describe("lessons against real nginx", () => {
  for (const lesson of ownConfigLessons()) {
    const file = lessonFileName(lesson).replace(/\.t$/, "");

    it(`${lesson.id} claims verifiedAgainst only when every block matches`, async () => {
      const run = await loadScenarioRunner();
      const result = await checkCorpusFile(CORPUS, file, run, []);
      const differing = result.outcomes
        .filter((outcome) => outcome.status !== "match")
        .map((outcome) => `TEST ${outcome.test}: ${outcome.diff?.field}`);
      const isVerified = lesson.verifiedAgainst === DEBIAN_NGINX;
      expect({ isVerified, differing }).toEqual({
        isVerified: differing.length === 0,
        differing,
      });
    });

    // The error log carries each lesson's point, so it must match even in
    // blocks whose bodies known-differences.txt excuses.
    it(`${lesson.id} logs what real nginx logs`, async () => {
      const run = await loadScenarioRunner();
      const text = readFileSync(path.join(CORPUS, `${file}.t`), "utf8");
      const goldenPath = path.join(CORPUS, "golden", `${file}.json`);
      const goldens = JSON.parse(readFileSync(goldenPath, "utf8")) as GoldenRecord[];
      for (const block of parseTestFile(text)) {
        const golden = goldens.find((record) => record.test === block.test);
        expect(golden, `TEST ${block.test}`).toBeDefined();
        const real = translateDebianRecord(golden!).record;
        const simulated = await runBlockRecord(block, run);
        expect(simulated.error_log, `TEST ${block.test}`).toEqual(real.error_log);
      }
    });
  }

  it("leaves verifiedAgainst to the example of an example lesson", () => {
    for (const lesson of LESSONS) {
      if (lesson.source.kind !== "example") continue;
      expect(lesson.verifiedAgainst, lesson.id).toBeUndefined();
    }
  });
});
