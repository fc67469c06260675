/**
 * The lesson panel's state: whether it is open and which lesson it shows.
 * It is kept apart from the playground store because a lesson only reads
 * the workspace and the last run.
 */
import { createStore, useStore } from "zustand";
import { LESSONS } from ".";

export interface LessonPanelState {
  isOpen: boolean;
  lessonId: string;
  setOpen(isOpen: boolean): void;
  selectLesson(id: string): void;
}

/** The page's lesson panel state. */
export const lessonStore = createStore<LessonPanelState>()((set) => ({
  isOpen: false,
  lessonId: LESSONS[0].id,
  setOpen: (isOpen) => set({ isOpen }),
  selectLesson: (lessonId) => set({ lessonId, isOpen: true }),
}));

/** Selects a slice of the lesson panel state. */
export function useLessons<T>(selector: (state: LessonPanelState) => T): T {
  return useStore(lessonStore, selector);
}
