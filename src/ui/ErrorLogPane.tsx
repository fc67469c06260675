import type { ErrorLogEntry } from "../engine/scenario";
import { formatErrorLogLine } from "./format/errorLogLine";

interface ErrorLogPaneProps {
  errorLog: readonly ErrorLogEntry[];
  /** What nginx wrote to stderr while starting (init_by_lua's ngx.log). */
  stderr: readonly ErrorLogEntry[];
  startTimeMs: number;
}

function LogLines({ entries, startTimeMs, testId }: {
  entries: readonly ErrorLogEntry[];
  startTimeMs: number;
  testId: string;
}) {
  return (
    <pre className="log-lines" data-testid={testId}>
      {entries.map((entry, index) => (
        <div key={index} className={`log-line level-${entry.level}`} data-testid="log-line">
          {formatErrorLogLine(entry, startTimeMs)}
        </div>
      ))}
    </pre>
  );
}

/** error.log of the run, and stderr output from start-up if any. */
export function ErrorLogPane({ errorLog, stderr, startTimeMs }: ErrorLogPaneProps) {
  return (
    <section className="pane error-log" data-testid="error-log">
      <div className="pane-title">error.log ({errorLog.length})</div>
      {stderr.length > 0 && (
        <>
          <div className="log-section">stderr, while nginx was starting</div>
          <LogLines entries={stderr} startTimeMs={startTimeMs} testId="stderr-lines" />
          <div className="log-section">logs/error.log</div>
        </>
      )}
      {errorLog.length === 0 && <div className="placeholder">Nothing logged.</div>}
      <LogLines entries={errorLog} startTimeMs={startTimeMs} testId="error-log-lines" />
    </section>
  );
}
