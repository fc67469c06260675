import { useState } from "react";
import type { TraceEvent } from "../engine/trace/events";
import { usePlayback } from "./playback/usePlayback";
import { requestsOf, requestStateAt } from "./requestState";

/**
 * ngx.var and ngx.ctx of a chosen request, at the playback cursor's
 * moment (or at the end of the run when nothing is selected).
 */
export function RequestStatePane({ trace }: { trace: readonly TraceEvent[] }) {
  const requests = requestsOf(trace);
  const [chosen, setChosen] = useState<number | null>(null);
  const cursor = usePlayback((state) => state.index);
  if (requests.length === 0) return null;
  const connection = chosen ?? requests[0].connection;
  const state = requestStateAt(trace, connection, cursor);
  return (
    <section className="pane request-state" data-testid="request-state">
      <div className="pane-title">
        ngx.var and ngx.ctx{" "}
        <select
          data-testid="request-state-picker"
          value={connection}
          onChange={(event) => setChosen(Number(event.target.value))}
        >
          {requests.map((r) => (
            <option key={r.connection} value={r.connection}>
              {r.label}
            </option>
          ))}
        </select>{" "}
        <span className="muted">
          {cursor >= 0 ? `at event ${cursor + 1} of ${trace.length}` : "at the end of the run"}
        </span>
      </div>
      <table className="process-table" data-testid="request-vars">
        <tbody>
          {state.variables.length === 0 && (
            <tr>
              <td>No variable assigned yet (set, set_by_lua, ngx.var.x = v).</td>
            </tr>
          )}
          {state.variables.map(([name, value]) => (
            <tr key={name}>
              <td>${name}</td>
              <td>{value === null ? "nil" : JSON.stringify(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="muted">
        {state.ctx
          ? `ngx.ctx after the ${state.ctx.phase} phase:`
          : "ngx.ctx: not used yet (snapshots are taken when a phase ends)."}
      </div>
      {state.ctx && (
        <table className="process-table" data-testid="request-ctx">
          <tbody>
            {state.ctx.entries.map(([key, value]) => (
              <tr key={key}>
                <td>{key}</td>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
