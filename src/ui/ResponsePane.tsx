import type { ResponseRecord } from "../engine/scenario";
import { responseHeaderLines } from "./format/responseHeaders";

function ResponseCard({ response }: { response: ResponseRecord }) {
  const headerLines = responseHeaderLines(response);
  return (
    <article className="response" data-testid="response">
      <div className="response-meta">
        request #{response.requestIndex + 1} · connection *{response.connection}
        {response.pid !== null && ` · worker pid ${response.pid}`}
      </div>
      {response.empty_reply ? (
        <div className="response-empty" data-testid="response-empty">
          (empty reply: connection closed with no response)
        </div>
      ) : (
        <div className="status-line" data-testid="response-status">
          {response.status_line ?? "(no status line)"}
        </div>
      )}
      {response.timed_out && (
        <div className="response-error" data-testid="response-timed-out">
          timed out: no complete response before the request timeout
        </div>
      )}
      {response.curl_error && (
        <div className="response-error" data-testid="response-curl-error">
          curl: ({response.curl_exit}) {response.curl_error}
        </div>
      )}
      {headerLines.length > 0 && (
        <pre className="response-headers" data-testid="response-headers">
          {headerLines.join("\n")}
        </pre>
      )}
      {!response.empty_reply && (
        <pre className="response-body" data-testid="response-body">
          {response.body}
        </pre>
      )}
    </article>
  );
}

/** Every response of the last run, in the order the requests were sent. */
export function ResponsePane({ responses }: { responses: readonly ResponseRecord[] }) {
  return (
    <section className="pane responses" data-testid="responses">
      <div className="pane-title">Responses ({responses.length})</div>
      {responses.length === 0 && <div className="placeholder">No response.</div>}
      {responses.map((response) => (
        <ResponseCard key={`${response.requestIndex}-${response.connection}`} response={response} />
      ))}
    </section>
  );
}
