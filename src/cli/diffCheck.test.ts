import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { GoldenRecord } from "../engine/testnginx/record";
import { DEBIAN_NGINX } from "../ui/examples/example";
import { EXAMPLES } from "../ui/examples/index";
import {
  checkCorpusFile,
  classifyBlock,
  formatTable,
  matchingEntries,
  unknownEntries,
  type CorpusFileResult,
} from "./diffCheck";
import { exampleFileName } from "./exampleCorpus";
import { loadScenarioRunner } from "./loadEngine";

const CORPUS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../corpus",
);

const GOLDEN = { test: 2, title: "t" } as GoldenRecord;
const DIFF = { field: "responses[0].status", expected: "200", actual: "500" };
const KNOWN = [{ file: "exit", test: 2, reason: "listed" }];

describe("classifyBlock", () => {
  it("marks a block without a diff as a match", () => {
    expect(classifyBlock("exit", GOLDEN, null, KNOWN).status).toBe("match");
  });

  it("marks a listed diff as known", () => {
    const outcome = classifyBlock("exit", GOLDEN, DIFF, KNOWN);
    expect(outcome.status).toBe("known");
    expect(outcome.reason).toBe("listed");
  });

  it("marks an unlisted diff as differs", () => {
    expect(classifyBlock("var", GOLDEN, DIFF, KNOWN).status).toBe("differs");
  });
});

describe("known-differences bookkeeping", () => {
  const results: CorpusFileResult[] = [
    {
      file: "exit",
      outcomes: [
        classifyBlock("exit", GOLDEN, null, KNOWN),
        classifyBlock("exit", { test: 3, title: "u" } as GoldenRecord, DIFF, KNOWN),
      ],
    },
  ];

  it("reports a listed block that now matches", () => {
    expect(matchingEntries(results)).toEqual(["exit:2"]);
  });

  it("reports an entry naming no block", () => {
    const entries = [...KNOWN, { file: "exit", test: 9, reason: "typo" }];
    expect(unknownEntries(results, entries)).toEqual(["exit:9"]);
  });

  it("counts blocks per status in the table", () => {
    const table = formatTable(results).split("\n");
    expect(table[1]).toMatch(/^exit\s+2\s+1\s+0\s+1$/);
    expect(table[2]).toContain("TEST 3 DIFFERS: responses[0].status");
  });
});

describe("verifiedAgainst of the examples", () => {
  for (const example of EXAMPLES) {
    it(`${example.id} claims it only when every block matches`, async () => {
      const run = await loadScenarioRunner();
      const file = exampleFileName(example).replace(/\.t$/, "");
      const result = await checkCorpusFile(CORPUS, file, run, []);
      const differing = result.outcomes
        .filter((outcome) => outcome.status !== "match")
        .map((outcome) => `TEST ${outcome.test}: ${outcome.diff?.field}`);
      const isVerified = example.verifiedAgainst === DEBIAN_NGINX;
      expect({ isVerified, differing }).toEqual({
        isVerified: differing.length === 0,
        differing,
      });
    });
  }
});
