/**
 * Links the nginx.conf editor to the playback cursor: the cursor event's
 * line is highlighted and scrolled into view, and a click on a line
 * number moves the cursor to the first event from that line.
 */
import type { OnMount } from "@monaco-editor/react";
import { useEffect, useMemo } from "react";
import { monaco } from "../editor/monacoSetup";
import { usePlayground } from "../store/appStore";
import { configLineOf, firstEventAtLine } from "./eventSource";
import { playbackStore } from "./playbackStore";
import { usePlayback } from "./usePlayback";

type CodeEditor = Parameters<OnMount>[0];

/**
 * Highlights the cursor event's line in `editor` and handles clicks on
 * line numbers. Returns the highlighted line, or null when the event has
 * no line in nginx.conf.
 */
export function useSourceSync(editor: CodeEditor | null): number | null {
  const confFile = usePlayground((state) => state.run.scenario?.confPath) ?? "nginx.conf";
  const index = usePlayback((state) => state.index);
  const sources = usePlayback((state) => state.sources);
  const resolved = index >= 0 ? sources[index] : null;
  const line = useMemo(
    () => (resolved ? configLineOf(resolved.source, confFile) : null),
    [resolved, confFile],
  );

  useEffect(() => {
    if (!editor || line === null) return;
    const decorations = editor.createDecorationsCollection([
      {
        range: new monaco.Range(line, 1, line, 1),
        options: {
          isWholeLine: true,
          className: "playback-line",
          linesDecorationsClassName: "playback-line-gutter",
        },
      },
    ]);
    editor.revealLineInCenterIfOutsideViewport(line);
    return () => decorations.clear();
  }, [editor, line]);

  useEffect(() => {
    if (!editor) return;
    const subscription = editor.onMouseDown((event) => {
      const isLineNumber =
        event.target.type === monaco.editor.MouseTargetType.GUTTER_LINE_NUMBERS;
      const clicked = event.target.position?.lineNumber;
      if (!isLineNumber || clicked === undefined) return;
      const playback = playbackStore.getState();
      const found = firstEventAtLine(playback.sources, confFile, clicked);
      if (found >= 0) playback.seek(found);
    });
    return () => subscription.dispose();
  }, [editor, confFile]);

  return line;
}
