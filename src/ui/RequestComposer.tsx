import { usePlayground } from "./store/appStore";
import { currentWorkspace } from "./store/playgroundStore";

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
    </section>
  );
}
