import { useState } from "react";
import { shareWorkspace } from "./permalink/usePermalink";
import { EXAMPLES } from "./examples";
import { LESSONS } from "./lessons";
import { lessonStore } from "./lessons/lessonStore";
import { playgroundStore, useExplorer, usePlayground, useTestNginx } from "./store/appStore";
import { currentWorkspace } from "./store/playgroundStore";
import {
  clampCopies,
  MAX_COPIES,
  parseHeaders,
  scenarioFromWorkspace,
} from "./store/workspace";

/** Product name, example picker, copies and Send. */
export function Header() {
  const exampleId = usePlayground((state) => state.exampleId);
  const copies = usePlayground((state) => currentWorkspace(state).copies);
  const isRunning = usePlayground((state) => state.run.status === "running");
  const selectExample = usePlayground((state) => state.selectExample);
  const resetExample = usePlayground((state) => state.resetExample);
  const undoResetExample = usePlayground((state) => state.undoResetExample);
  const canUndoReset = usePlayground(
    (state) => state.resetWorkspace?.exampleId === state.exampleId,
  );
  const isUndoOpen = usePlayground(
    (state) => state.resetWorkspace?.reason === "open-block",
  );
  const setTestDialog = useTestNginx((state) => state.setDialog);
  const updateWorkspace = usePlayground((state) => state.updateWorkspace);
  const send = usePlayground((state) => state.send);
  const explore = useExplorer((state) => state.explore);
  const [isShared, setShared] = useState(false);
  const isExploring = useExplorer((state) => state.status === "running");
  const isThreadsMode = usePlayground(
    (state) => currentWorkspace(state).runMode === "threads",
  );

  return (
    <header className="header">
      <h1>OpenResty Playground</h1>
      <label>
        Example{" "}
        <select
          data-testid="example-picker"
          value={exampleId}
          onChange={(event) => selectExample(event.target.value)}
        >
          {EXAMPLES.map((example) => (
            <option key={example.id} value={example.id}>
              {example.title}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        data-testid="reset-example"
        title="Put this example's config and request back as shipped"
        onClick={resetExample}
      >
        Reset
      </button>
      {canUndoReset && (
        <button
          type="button"
          data-testid="undo-reset"
          title={
            isUndoOpen
              ? "Bring back the config and request that opening a .t block replaced"
              : "Bring back the config and request that Reset replaced"
          }
          onClick={undoResetExample}
        >
          {isUndoOpen ? "Undo open" : "Undo reset"}
        </button>
      )}
      <button
        type="button"
        data-testid="import-t"
        title="Import a Test::Nginx .t file into a panel of its own"
        onClick={() => setTestDialog("import")}
      >
        Import .t
      </button>
      <button
        type="button"
        data-testid="export-t"
        title="Write this workspace as a Test::Nginx .t file"
        onClick={() => setTestDialog("export")}
      >
        Export .t
      </button>
      <select
        data-testid="lessons-picker"
        title="Open a lesson in a side panel"
        value=""
        onChange={(event) => lessonStore.getState().selectLesson(event.target.value)}
      >
        <option value="" disabled>
          Lessons…
        </option>
        {LESSONS.map((lesson) => (
          <option key={lesson.id} value={lesson.id}>
            {lesson.title}
          </option>
        ))}
      </select>
      <span className="spacer" />
      <label title="Copies of the request sent at once">
        Copies{" "}
        <input
          data-testid="copies"
          type="number"
          min={1}
          max={MAX_COPIES}
          value={copies}
          onChange={(event) =>
            updateWorkspace({ copies: clampCopies(Number(event.target.value)) })
          }
        />
      </label>
      <button
        type="button"
        className="send"
        data-testid="send"
        title="Send the request (Ctrl+Enter)"
        onClick={() => void send()}
      >
        {isRunning ? "Running…" : "Send"}
      </button>
      <button
        type="button"
        data-testid="explore"
        title={
          isThreadsMode
            ? "The explorer replays orders in the deterministic mode only"
            : "Run the request under 12 seeds with timing jitter and group the outcomes"
        }
        disabled={isExploring || isThreadsMode}
        onClick={() => {
          const workspace = currentWorkspace(playgroundStore.getState());
          const parsed = parseHeaders(workspace.headersText);
          if ("error" in parsed) return;
          void explore(scenarioFromWorkspace(workspace, parsed.headers));
        }}
      >
        {isExploring ? "Exploring…" : "Explore orders"}
      </button>
      <button
        type="button"
        data-testid="share"
        title="Put this workspace in the address bar as a link and copy it"
        onClick={() => {
          void shareWorkspace().then(() => setShared(true));
        }}
      >
        {isShared ? "Link copied" : "Share"}
      </button>
    </header>
  );
}
