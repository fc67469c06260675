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
  /** Steps a run has shown done, as `lessonId#index`, kept while the page is open. */
  completed: ReadonlySet<string>;
  setOpen(isOpen: boolean): void;
  selectLesson(id: string): void;
  markDone(lessonId: string, index: number): void;
}

/** The page's lesson panel state. */
export const lessonStore = createStore<LessonPanelState>()((set) => ({
  isOpen: false,
  lessonId: LESSONS[0].id,
  completed: new Set(),
  setOpen: (isOpen) => set({ isOpen }),
  selectLesson: (lessonId) => set({ lessonId, isOpen: true }),
  markDone: (lessonId, index) =>
    set((state) => {
      const key = `${lessonId}#${index}`;
      if (state.completed.has(key)) return state;
      return { completed: new Set([...state.completed, key]) };
    }),
}));

/** Selects a slice of the lesson panel state. */
export function useLessons<T>(selector: (state: LessonPanelState) => T): T {
  return useStore(lessonStore, selector);
}
