import { useEffect } from "react";
import { EditorPane } from "./EditorPane";
import { ErrorLogPane } from "./ErrorLogPane";
import { ProcessPane } from "./ProcessPane";
import { ExplorerPane } from "./ExplorerPane";
import { RacesPane } from "./RacesPane";
import { RequestStatePane } from "./RequestStatePane";
import { usePermalinkOnLoad } from "./permalink/usePermalink";
import { findExample } from "./examples";
import { ShdictInspector } from "./inspect/ShdictInspector";
import { LessonsPanel } from "./lessons/LessonsPanel";
import { Header } from "./Header";
import { PaneBoundary } from "./PaneBoundary";
import { RequestComposer } from "./RequestComposer";
import { ResponsePane } from "./ResponsePane";
import { RunBanner } from "./RunBanner";
import { SharedMemoryNotice } from "./SharedMemoryNotice";
import { playgroundStore, usePlayground } from "./store/appStore";
import { currentWorkspace } from "./store/playgroundStore";
import { ExportDialog } from "./testnginx/ExportDialog";
import { ImportDialog, useTestFileDrop } from "./testnginx/ImportDialog";
import { TestNginxPanel } from "./testnginx/TestNginxPanel";
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
      <PaneBoundary key={`responses-${run.runCount}`} title="Responses">
        <ResponsePane responses={result.responses} />
      </PaneBoundary>
      <PaneBoundary key={`request-state-${run.runCount}`} title="ngx.var and ngx.ctx">
        <RequestStatePane trace={result.trace} />
      </PaneBoundary>
      <PaneBoundary key={`races-${run.runCount}`} title="Races">
        <RacesPane races={result.races ?? []} />
      </PaneBoundary>
      <PaneBoundary key={`processes-${run.runCount}`} title="Processes">
        <ProcessPane trace={result.trace} />
      </PaneBoundary>
      <PaneBoundary key={`shdicts-${run.runCount}`} title="Shared dicts">
        <ShdictInspector trace={result.trace} />
      </PaneBoundary>
      <PaneBoundary key={`log-${run.runCount}`} title="error.log">
        <ErrorLogPane
          errorLog={result.errorLog}
          stderr={result.stderr}
          startTimeMs={run.scenario.startTimeMs}
        />
      </PaneBoundary>
    </>
  );
}

/** Renders the whole page. */
export function App() {
  useSendShortcut();
  useTestFileDrop();
  const permalinkError = usePermalinkOnLoad();
  const exampleId = usePlayground((state) => state.exampleId);
  const run = usePlayground((state) => state.run);
  const example = findExample(exampleId);
  const result = run.outcome?.ok ? run.outcome.result : null;
  const isConfigAsShipped = usePlayground(
    (state) => currentWorkspace(state).nginxConf === example.nginxConf,
  );

  return (
    <div className="app" data-run-status={run.status} data-run-count={run.runCount}>
      <Header />
      <LessonsPanel />
      <p className="explanation" data-testid="explanation">
        <strong>{example.title}.</strong> {example.explanation}
        <span className="verified" data-testid="verified-against">
          {!isConfigAsShipped
            ? " The config has been edited (or a lesson loaded its own), so this text and its check describe the shipped one; Reset brings it back."
            : example.verifiedAgainst
              ? ` Verified against real ${example.verifiedAgainst}: the same output.`
              : " Not verifiable against Debian's nginx, which lacks part of OpenResty; see the explanation."}
        </span>
      </p>
      <SharedMemoryNotice />
      {permalinkError && (
        <div className="banner banner-error" data-testid="permalink-error">
          {permalinkError}
        </div>
      )}
      <ImportDialog />
      <ExportDialog />
      <PaneBoundary title="Test::Nginx">
        <TestNginxPanel />
      </PaneBoundary>
      <RunBanner outcome={run.outcome} />
      <main className="columns">
        <PaneBoundary title="nginx.conf">
          <EditorPane />
        </PaneBoundary>
        <div className="right-column">
          <PaneBoundary title="Request">
            <RequestComposer />
          </PaneBoundary>
          <PaneBoundary title="Interleavings">
            <ExplorerPane />
          </PaneBoundary>
          <RunResults />
        </div>
      </main>
      {result && result.trace.length > 0 && (
        <PaneBoundary key={`timeline-${run.runCount}`} title="Timeline">
          <Timeline trace={result.trace} endTime={result.endTime} />
        </PaneBoundary>
      )}
    </div>
  );
}
