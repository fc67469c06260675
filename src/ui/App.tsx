import { useEffect } from "react";
import { EditorPane } from "./EditorPane";
import { ErrorLogPane } from "./ErrorLogPane";
import { findExample } from "./examples";
import { Header } from "./Header";
import { RequestComposer } from "./RequestComposer";
import { ResponsePane } from "./ResponsePane";
import { RunBanner } from "./RunBanner";
import { SharedMemoryNotice } from "./SharedMemoryNotice";
import { playgroundStore, usePlayground } from "./store/appStore";
import { Timeline } from "./timeline/Timeline";

/** Sends on Ctrl+Enter (Cmd+Enter on macOS) from anywhere on the page. */
function useSendShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
      // Capture phase: Monaco would otherwise insert a line.
      event.preventDefault();
      event.stopPropagation();
      void playgroundStore.getState().send();
    };
    window.addEventListener("keydown", onKeyDown, true);
    return () => window.removeEventListener("keydown", onKeyDown, true);
  }, []);
}

function RunResults() {
  const run = usePlayground((state) => state.run);
  const result = run.outcome?.ok ? run.outcome.result : null;
  if (run.status === "idle") {
    return <div className="placeholder">Press Send or Ctrl+Enter to run the request.</div>;
  }
  if (!result || !run.scenario) return null;
  return (
    <>
      <ResponsePane responses={result.responses} />
      <ErrorLogPane
        errorLog={result.errorLog}
        stderr={result.stderr}
        startTimeMs={run.scenario.startTimeMs}
      />
    </>
  );
}

/** Renders the whole page. */
export function App() {
  useSendShortcut();
  const exampleId = usePlayground((state) => state.exampleId);
  const run = usePlayground((state) => state.run);
  const example = findExample(exampleId);
  const result = run.outcome?.ok ? run.outcome.result : null;

  return (
    <div className="app" data-run-status={run.status} data-run-count={run.runCount}>
      <Header />
      <p className="explanation" data-testid="explanation">
        <strong>{example.title}.</strong> {example.explanation}
      </p>
      <SharedMemoryNotice />
      <RunBanner outcome={run.outcome} />
      <main className="columns">
        <EditorPane />
        <div className="right-column">
          <RequestComposer />
          <RunResults />
        </div>
      </main>
      {result && result.trace.length > 0 && <Timeline trace={result.trace} endTime={result.endTime} />}
    </div>
  );
}
