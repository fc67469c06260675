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
  const { startupError, startupStage } = outcome.result;
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
