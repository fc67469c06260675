/**
 * Turns a run failure into the sentence the page shows. Messages come
 * from the engine, the worker client and the request parser, some in
 * nginx's lower-case style, so the first letter is capitalised and a full
 * stop added; the error code stays out of the sentence.
 */
import type { EngineError } from "../../host/protocol";

/** Returns the user-facing sentence for a run failure. */
export function runErrorSentence(error: EngineError): string {
  const message = error.message.trim();
  if (message === "") return "The run failed for an unknown reason.";
  const capitalised = message[0].toUpperCase() + message.slice(1);
  return /[.!?)]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
