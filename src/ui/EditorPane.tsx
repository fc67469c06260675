import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useMemo, useState } from "react";
import { monaco } from "./editor/monacoSetup";
import { NGINX_LANGUAGE_ID } from "./editor/nginxLanguage";
import {
  errorLogMarkers,
  raceMarkers,
  startupErrorMarker,
  type SourceMarker,
} from "./format/sourceMarkers";
import { usePlayground } from "./store/appStore";
import { currentWorkspace } from "./store/playgroundStore";
import { useSourceSync } from "./playback/useSourceSync";

const MARKER_OWNER = "openresty-run";

type CodeEditor = Parameters<OnMount>[0];

/** Lines of nginx.conf that the last run's errors point at. */
function useRunMarkers(): SourceMarker[] {
  const outcome = usePlayground((state) => state.run.outcome);
  const confPath = usePlayground((state) => state.run.scenario?.confPath);
  return useMemo(() => {
    if (!outcome?.ok || !confPath) return [];
    const { startupError, errorLog, races } = outcome.result;
    const markers = [...errorLogMarkers(errorLog, confPath), ...raceMarkers(races ?? [], confPath)];
    const startup = startupError && startupErrorMarker(startupError, confPath);
    return startup ? [startup, ...markers] : markers;
  }, [outcome, confPath]);
}

/** The nginx.conf editor, with run errors shown as markers. */
export function EditorPane() {
  const exampleId = usePlayground((state) => state.exampleId);
  const nginxConf = usePlayground((state) => currentWorkspace(state).nginxConf);
  const updateWorkspace = usePlayground((state) => state.updateWorkspace);
  const [editor, setEditor] = useState<CodeEditor | null>(null);
  const markers = useRunMarkers();
  const cursorLine = useSourceSync(editor);

  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      markers.map((marker) => ({
        severity:
          marker.severity === "error"
            ? monaco.MarkerSeverity.Error
            : monaco.MarkerSeverity.Warning,
        message: marker.message,
        startLineNumber: marker.line,
        endLineNumber: marker.line,
        startColumn: 1,
        endColumn: model.getLineMaxColumn(Math.min(marker.line, model.getLineCount())),
      })),
    );
  }, [editor, markers, exampleId]);

  return (
    <section
      className="pane editor-pane"
      data-testid="editor-pane"
      data-marker-lines={markers.map((marker) => marker.line).join(",")}
      data-cursor-line={cursorLine ?? ""}
    >
      <div className="pane-title">nginx.conf</div>
      <div className="editor-host" data-testid="editor">
        <Editor
          path={`file:///${exampleId}/nginx.conf`}
          language={NGINX_LANGUAGE_ID}
          value={nginxConf}
          onChange={(value) => updateWorkspace({ nginxConf: value ?? "" })}
          onMount={(mounted) => setEditor(mounted)}
          loading={<div className="placeholder">Loading the editor…</div>}
          options={{
            minimap: { enabled: false },
            fontSize: 13,
            scrollBeyondLastLine: false,
            automaticLayout: true,
            tabSize: 4,
          }}
        />
      </div>
    </section>
  );
}
