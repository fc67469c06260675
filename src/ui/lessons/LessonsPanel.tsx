import { useEffect } from "react";
import type { RunResult } from "../../engine/scenario";
import { playgroundStore, usePlayground } from "../store/appStore";
import { findLesson, LESSONS, type Lesson, type LessonStep } from ".";
import { useLessons } from "./lessonStore";

const STATUS_MARKS = { done: "✓", "done-earlier": "✓", "not-done": "○", unchecked: "·" } as const;

/** Opens a lesson's example, or puts its own config in its host example. */
function loadLesson(lesson: Lesson): void {
  const store = playgroundStore.getState();
  if (lesson.source.kind === "example") {
    store.selectExample(lesson.source.exampleId);
    return;
  }
  store.selectExample(lesson.source.hostExampleId);
  playgroundStore.getState().openWorkspace(lesson.source.workspace);
}

function StepItem({
  lessonId,
  step,
  index,
  result,
}: {
  lessonId: string;
  step: LessonStep;
  index: number;
  result: RunResult | null;
}) {
  const updateWorkspace = usePlayground((state) => state.updateWorkspace);
  const wasDone = useLessons((state) => state.completed.has(`${lessonId}#${index}`));
  const markDone = useLessons((state) => state.markDone);
  const isCheckable = step.isDone !== undefined;
  const isDone = isCheckable && result !== null && step.isDone!(result);
  useEffect(() => {
    if (isDone) markDone(lessonId, index);
  }, [isDone, lessonId, index, markDone]);
  let status: keyof typeof STATUS_MARKS = "unchecked";
  if (isCheckable && isDone) status = "done";
  else if (isCheckable && wasDone) status = "done-earlier";
  else if (isCheckable) status = "not-done";
  return (
    <li
      className={`lesson-step lesson-step-${status}`}
      data-testid="lesson-step"
      data-status={status}
      title={status === "done-earlier" ? "Done in an earlier run" : undefined}
    >
      <span className="lesson-step-mark" aria-label={status.replace("-", " ")}>
        {STATUS_MARKS[status]}
      </span>{" "}
      <span className="lesson-step-number">{index + 1}.</span> {step.text}
      {step.change && (
        <button
          type="button"
          data-testid="lesson-apply"
          title="Make this step's change in the workspace"
          onClick={() => updateWorkspace(step.change!)}
        >
          Apply
        </button>
      )}
    </li>
  );
}

/** Renders the open lesson in a side panel: explanation, Load and steps. */
export function LessonsPanel() {
  const isOpen = useLessons((state) => state.isOpen);
  const lessonId = useLessons((state) => state.lessonId);
  const selectLesson = useLessons((state) => state.selectLesson);
  const setOpen = useLessons((state) => state.setOpen);
  const run = usePlayground((state) => state.run);
  if (!isOpen) return null;
  const lesson = findLesson(lessonId) ?? LESSONS[0];
  const result = run.outcome?.ok ? run.outcome.result : null;
  return (
    <aside className="lessons-panel" data-testid="lessons-panel" data-lesson={lesson.id}>
      <div className="lessons-head">
        <select
          data-testid="lesson-picker"
          value={lesson.id}
          onChange={(event) => selectLesson(event.target.value)}
        >
          {LESSONS.map((each) => (
            <option key={each.id} value={each.id}>
              {each.title}
            </option>
          ))}
        </select>
        <button type="button" data-testid="lessons-close" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
      <h2>{lesson.title}</h2>
      <p className="lesson-summary">{lesson.summary}</p>
      <button
        type="button"
        data-testid="lesson-load"
        title={
          lesson.source.kind === "example"
            ? "Open this lesson's example"
            : "Put this lesson's config in the workspace; Undo open brings yours back until the next edit"
        }
        onClick={() => loadLesson(lesson)}
      >
        Load the lesson's config
      </button>
      <ol className="lesson-steps">
        {lesson.steps.map((step, index) => (
          <StepItem key={index} lessonId={lesson.id} step={step} index={index} result={result} />
        ))}
      </ol>
      <p className="lesson-hint">
        Steps marked ○ turn to ✓ when a run shows them, and stay ticked while the page is open.
      </p>
    </aside>
  );
}
