import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse";
import { generateNginxConf } from "./generateConf";
import { parseTestFile } from "./parseTestFile";
import { blockMoreHeaders, blockRequests, blockUserFiles, parseSteps } from "./requests";
import { blockToScenario } from "./toScenario";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const oracleDir = process.env.ORACLE_DIR ?? path.resolve(repoRoot, "../shared/oracle");
const hasOracle = existsSync(path.join(oracleDir, "golden"));

interface Golden {
  test: number;
  title: string;
  requests: unknown;
  steps?: unknown;
  user_files?: unknown;
  more_headers?: unknown;
  startup_error: string | null;
  startup_stage?: string;
  nginx_conf: string;
}

function caseFiles(): string[] {
  if (!hasOracle) return [];
  return readdirSync(path.join(oracleDir, "cases")).filter((name) => name.endsWith(".t"));
}

// These tests read the oracle's cases and golden records next to the
// repository; they are skipped (not failed) on a checkout without them.
describe.skipIf(!hasOracle)("oracle cases against golden records", () => {
  for (const file of caseFiles()) {
    const blocks = parseTestFile(readFileSync(path.join(oracleDir, "cases", file), "utf8"));
    const goldenPath = path.join(oracleDir, "golden", file.replace(/\.t$/, ".json"));
    const golden = JSON.parse(readFileSync(goldenPath, "utf8")) as Golden[];

    it(`${file}: one block per golden record`, () => {
      expect(blocks.map((b) => [b.test, b.title])).toEqual(golden.map((g) => [g.test, g.title]));
    });

    for (const record of golden) {
      const block = blocks.find((b) => b.test === record.test);
      if (!block) continue;

      it(`${file} TEST ${record.test}: generated nginx.conf`, () => {
        expect(generateNginxConf(block)).toBe(record.nginx_conf);
      });

      it(`${file} TEST ${record.test}: requests, steps and files`, () => {
        expect(blockRequests(block)).toEqual(record.requests);
        if (record.steps) expect(parseSteps(block.sections.steps.text)).toEqual(record.steps);
        if (record.user_files) expect(blockUserFiles(block)).toEqual(record.user_files);
        expect(blockMoreHeaders(block)).toEqual(record.more_headers ?? []);
      });

      it(`${file} TEST ${record.test}: nginx -t outcome`, () => {
        const scenario = blockToScenario(block);
        let message: string | null = null;
        try {
          parseConfig(scenario.nginxConf, scenario.confPath);
        } catch (error) {
          message = (error as Error).message;
        }
        const expected =
          record.startup_stage === "test"
            ? record.startup_error!.split("\n")[0].replace("nginx: [emerg] ", "")
            : null;
        expect(message).toBe(expected);
      });
    }
  }
});
