/** The lessons in the order the picker lists them. */
import {
  cachedTimeLesson,
  exitLesson,
  phasesLesson,
  privilegedAgentLesson,
  sharedDictLesson,
  variablesLesson,
} from "./exampleLessons";
import type { Lesson } from "./lesson";
import { reloadLesson } from "./reloadLesson";
import { shdictMemoryLesson } from "./shdictMemoryLesson";
import { subrequestLesson } from "./subrequestLesson";
import { threadLesson } from "./threadLesson";
import { timersLesson } from "./timersLesson";

export type { Lesson, LessonStep } from "./lesson";

export const LESSONS: readonly Lesson[] = [
  phasesLesson,
  privilegedAgentLesson,
  exitLesson,
  variablesLesson,
  sharedDictLesson,
  cachedTimeLesson,
  timersLesson,
  threadLesson,
  subrequestLesson,
  shdictMemoryLesson,
  reloadLesson,
];

/** Finds a lesson by id; undefined if there is none. */
export function findLesson(id: string): Lesson | undefined {
  return LESSONS.find((lesson) => lesson.id === id);
}
