/**
 * A lesson: a short explanation, a workspace to load and guided steps.
 * Each step tells the reader what to do and where to look. A step with
 * `isDone` is checked against the last run and shown as done or not done.
 */
import type { RunResult } from "../../engine/scenario";
import type { Workspace } from "../store/workspace";

/** One guided step of a lesson. */
export interface LessonStep {
  /** The instruction and the thing to notice, in plain words. */
  text: string;
  /** Workspace fields that the step changes (its Apply button), if any. */
  change?: Partial<Workspace>;
  /** Tells whether the last run shows what the step points at. */
  isDone?: (result: RunResult) => boolean;
}

/** The workspace a lesson loads: a shipped example, or its own config. */
export type LessonSource =
  | { kind: "example"; exampleId: string }
  | {
      kind: "workspace";
      /** The example whose workspace the lesson's config replaces. */
      hostExampleId: string;
      workspace: Workspace;
    };

export interface Lesson {
  id: string;
  title: string;
  /** A few plain sentences; it must be true of real OpenResty. */
  summary: string;
  source: LessonSource;
  steps: LessonStep[];
  /**
   * The real server whose recording of corpus/lesson-<id>.t matches the
   * simulator in every block. Only lessons with their own config set it;
   * a lesson that loads an example is covered by the example's own field.
   * A unit test keeps it true.
   */
  verifiedAgainst?: string;
}

/** Returns the response bodies of a run, in request order. */
export function bodies(result: RunResult): string[] {
  return result.responses.map((response) => response.body);
}

/** Counts a run's trace events of one kind. */
export function countEvents(result: RunResult, kind: RunResult["trace"][number]["kind"]): number {
  return result.trace.filter((event) => event.kind === kind).length;
}

/** Returns the error-log messages of a run, in order. */
export function logMessages(result: RunResult): string[] {
  return result.errorLog.map((entry) => entry.message);
}

/** Counts error-log messages that contain `text`. */
export function countLog(result: RunResult, text: string): number {
  return logMessages(result).filter((message) => message.includes(text)).length;
}

/** Builds a GET workspace for a lesson's own config. */
export function lessonWorkspace(
  nginxConf: string,
  uri: string,
  extra: Partial<Workspace> = {},
): Workspace {
  return {
    nginxConf,
    method: "GET",
    uri,
    headersText: "",
    body: "",
    copies: 1,
    ...extra,
  };
}

/** Returns the URIs a run requested, from its request-start events. */
export function requestedUris(result: RunResult): string[] {
  const uris: string[] = [];
  for (const event of result.trace) {
    if (event.kind === "request-start") uris.push(event.uri);
  }
  return uris;
}

/** Tells whether a run requested `uri` at least `count` times and nothing else. */
export function isRunOf(result: RunResult, uri: string, count = 1): boolean {
  const uris = requestedUris(result);
  return uris.length >= count && uris.every((each) => each === uri);
}
