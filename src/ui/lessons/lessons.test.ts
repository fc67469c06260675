import { describe, expect, it } from "vitest";
import { runScenario } from "../../engine/run";
import { findExample } from "../examples";
import { scenarioFromWorkspace, workspaceFromExample, type Workspace } from "../store/workspace";
import { LESSONS } from ".";
import type { Lesson } from "./lesson";

function startWorkspace(lesson: Lesson): Workspace {
  if (lesson.source.kind === "workspace") return lesson.source.workspace;
  return workspaceFromExample(findExample(lesson.source.exampleId));
}

const unrelated = runScenario(
  scenarioFromWorkspace(
    {
      nginxConf: `worker_processes 1;
events { worker_connections 1024; }
http { server { listen 8080; location = /t { return 200 "hi"; } } }
`,
      method: "GET",
      uri: "/t",
      headersText: "",
      body: "",
      copies: 1,
    },
    [],
  ),
);

describe("lessons", () => {
  it("have unique ids and three to five steps", () => {
    const ids = new Set(LESSONS.map((lesson) => lesson.id));
    expect(ids.size).toBe(LESSONS.length);
    for (const lesson of LESSONS) {
      expect(lesson.steps.length, lesson.id).toBeGreaterThanOrEqual(3);
      expect(lesson.steps.length, lesson.id).toBeLessThanOrEqual(5);
    }
  });

  it("load examples that exist", () => {
    for (const lesson of LESSONS) {
      if (lesson.source.kind !== "example") continue;
      expect(findExample(lesson.source.exampleId).id).toBe(lesson.source.exampleId);
    }
  });

  for (const lesson of LESSONS) {
    it(`${lesson.id}: every step is done after following it`, () => {
      let workspace = startWorkspace(lesson);
      for (const [index, step] of lesson.steps.entries()) {
        workspace = { ...workspace, ...step.change };
        const result = runScenario(scenarioFromWorkspace(workspace, []));
        if (!step.isDone) continue;
        expect(result.startupError, `step ${index + 1}`).toBeNull();
        expect(step.isDone(result), `step ${index + 1}: ${step.text}`).toBe(true);
      }
    });

    it(`${lesson.id}: no step is done by an unrelated run`, () => {
      for (const [index, step] of lesson.steps.entries()) {
        if (!step.isDone) continue;
        expect(step.isDone(unrelated), `step ${index + 1}`).toBe(false);
      }
    });
  }
});
