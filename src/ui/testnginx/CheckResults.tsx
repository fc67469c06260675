import type { ExpectationResult } from "../../engine/testnginx/expectations";
import { diffText } from "../../engine/testnginx/textDiff";

const DIFF_PREFIX = { expected: "-", actual: "+", same: " ", gap: "" } as const;

function ValueDiff({ result }: { result: ExpectationResult }) {
  if (result.isTextual) {
    const lines = diffText(result.expected, result.actual, { maxLines: 30 });
    return (
      <pre className="tn-diff" data-testid="tn-diff">
        <div className="tn-diff-gap">--- expected  +++ actual</div>
        {lines.map((line, index) => (
          <div key={index} className={`tn-diff-${line.kind}`}>
            {DIFF_PREFIX[line.kind]}
            {line.text}
          </div>
        ))}
      </pre>
    );
  }
  if (result.expected === "" && result.actual === "") return null;
  return (
    <pre className="tn-diff" data-testid="tn-diff">
      <div className="tn-diff-expected">expected: {JSON.stringify(result.expected)}</div>
      <div className="tn-diff-actual">got:      {JSON.stringify(result.actual)}</div>
    </pre>
  );
}

/** Renders the per-section results of one block's check, with a diff per failure. */
export function CheckResults({ results, notes }: {
  results: ExpectationResult[];
  notes: string[];
}) {
  return (
    <ul className="tn-results">
      {results.map((result, index) => (
        <li
          key={index}
          className={result.passed ? "tn-pass" : "tn-fail"}
          data-testid="tn-result"
          data-passed={result.passed}
          data-section={result.section}
        >
          <span className="tn-mark">{result.passed ? "✓" : "✗"}</span>{" "}
          <strong>{result.section}</strong>: {result.message}
          {!result.passed && <ValueDiff result={result} />}
        </li>
      ))}
      {notes.map((note) => (
        <li key={note} className="tn-note" data-testid="tn-note">
          note: {note}
        </li>
      ))}
    </ul>
  );
}
