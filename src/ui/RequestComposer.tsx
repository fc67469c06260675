import { usePlayground } from "./store/appStore";
import { currentWorkspace } from "./store/playgroundStore";
import type { BalancePolicy, RunMode } from "./store/workspace";
import { hasSharedMemory } from "./crossOriginIsolation";

const METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"];

/** Method, URI, headers and body of the request that Send sends. */
export function RequestComposer() {
  const workspace = usePlayground(currentWorkspace);
  const updateWorkspace = usePlayground((state) => state.updateWorkspace);

  return (
    <section className="pane composer" data-testid="request-composer">
      <div className="pane-title">Request</div>
      <div className="composer-line">
        <select
          data-testid="method"
          value={workspace.method}
          onChange={(event) => updateWorkspace({ method: event.target.value })}
        >
          {METHODS.map((method) => (
            <option key={method}>{method}</option>
          ))}
        </select>
        <input
          data-testid="uri"
          className="uri"
          spellCheck={false}
          value={workspace.uri}
          placeholder="/t?a=1"
          onChange={(event) => updateWorkspace({ uri: event.target.value })}
        />
      </div>
      <div className="composer-grid">
        <label>
          Headers (Name: value per line)
          <textarea
            data-testid="headers"
            spellCheck={false}
            rows={3}
            value={workspace.headersText}
            onChange={(event) => updateWorkspace({ headersText: event.target.value })}
          />
        </label>
        <label>
          Body
          <textarea
            data-testid="body"
            spellCheck={false}
            rows={3}
            value={workspace.body}
            onChange={(event) => updateWorkspace({ body: event.target.value })}
          />
        </label>
      </div>
      <div className="composer-grid">
        <label>
          Then (one step a line: reload, kill-worker, quit, sleep 0.5, x2 GET /t)
          <textarea
            data-testid="steps"
            spellCheck={false}
            rows={2}
            value={workspace.stepsText ?? ""}
            placeholder={"reload\nGET /t"}
            onChange={(event) => updateWorkspace({ stepsText: event.target.value })}
          />
        </label>
        <label>
          Worker for each connection
          <select
            data-testid="balance-policy"
            value={workspace.balancePolicy ?? "round-robin"}
            onChange={(event) =>
              updateWorkspace({ balancePolicy: event.target.value as BalancePolicy })
            }
          >
            <option value="round-robin">round robin</option>
            <option value="least-busy">least busy</option>
            <option value="client-hash">hash of client (connection)</option>
          </select>
        </label>
        <label>
          Processes run
          <select
            data-testid="run-mode"
            value={workspace.runMode ?? "deterministic"}
            onChange={(event) => updateWorkspace({ runMode: event.target.value as RunMode })}
          >
            <option value="deterministic">in one thread, in virtual-time order (deterministic)</option>
            <option value="lockstep" disabled={!hasSharedMemory()}>
              each in its own Web Worker, taking turns (deterministic, same trace)
            </option>
            <option value="threads" disabled={!hasSharedMemory()}>
              each in its own Web Worker, in parallel (real threads)
            </option>
          </select>
        </label>
      </div>
      {(workspace.jitterMs ?? 0) > 0 && (
        <p className="seed-note" data-testid="seed-note">
          Replaying seed {workspace.seed} with up to {workspace.jitterMs} ms of timing jitter.{" "}
          <button
            type="button"
            onClick={() => updateWorkspace({ seed: undefined, jitterMs: undefined })}
          >
            Back to no jitter
          </button>
        </p>
      )}
    </section>
  );
}
