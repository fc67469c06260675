import type { RunOutcome } from "../host/protocol";
import { runErrorSentence } from "./format/runError";

/**
 * Shows why a run produced no normal result: nginx's start-up error
 * (as `nginx -t` prints it) or an engine failure such as the watchdog.
 */
export function RunBanner({ outcome }: { outcome: RunOutcome | null }) {
  if (!outcome) return null;
  if (!outcome.ok) {
    return (
      <div
        className="banner banner-error"
        data-testid="run-error"
        data-error-code={outcome.error.code}
        role="alert"
      >
        <strong>{runErrorSentence(outcome.error)}</strong>
        <div className="banner-detail">error code: {outcome.error.code}</div>
      </div>
    );
  }
  const { startupError, startupStage, runMode } = outcome.result;
  if (!startupError && runMode === "threads") {
    return (
      <div className="banner banner-warn" data-testid="threads-notice">
        <strong>Real threads:</strong> each worker and the privileged agent ran in a Web
        Worker of its own, in parallel, paced by the wall clock. Shared dict operations
        interleaved as the threads happened to run, so another run can differ and a
        permalink does not replay this one. A cosocket to this nginx's own server reaches the
        same worker here, not the one the policy picks.
      </div>
    );
  }
  if (!startupError) return null;
  const stage =
    startupStage === "test"
      ? "nginx -t rejected the configuration"
      : "nginx could not start";
  return (
    <div className="banner banner-error" data-testid="startup-error" role="alert">
      <strong>{stage}:</strong>
      <pre>{startupError}</pre>
    </div>
  );
}
