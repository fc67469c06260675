/**
 * The content handler of echo-nginx-module (`echo`, `echo_sleep`,
 * `echo_flush`, ...), enough to run the examples and test scenarios that
 * pair it with Lua phases.
 */
import type { EchoStep } from "../config/types";
import { utf8 } from "../http/wire";
import type { Worker } from "../process/worker";
import { sendBody, sendHeader } from "./filters";
import type { HttpRequest } from "./httpRequest";
import type { Wait } from "./luaHandler";
import { finishOutput } from "./pipeline";
import { createSubrequest, plainSubrequest, runSubrequest } from "./subrequest";
import { interpolate } from "./variables";

function echoText(w: Worker, r: HttpRequest, args: string[]): string {
  const values = args.map((a) => interpolate(a, r, w.scope()));
  if (values[0] === "-n") return values.slice(1).join(" ");
  return `${values.join(" ")}\n`;
}

/** Sends echo output; a failed body filter ends the request (NGX_ERROR). */
function send(w: Worker, r: HttpRequest, data: Uint8Array): void {
  if (!sendBody(w, r, data, {})) w.failRequest(r);
}

/**
 * Runs `echo_location URI [ARGS]`: a GET subrequest whose output goes
 * into this response, waited for before the next directive runs.
 */
function* runEchoLocation(
  w: Worker,
  r: HttpRequest,
  args: string[],
): Generator<Wait, void, void> {
  sendHeader(w, r);
  const uri = interpolate(args[0] ?? "", r, w.scope());
  const query = interpolate(args[1] ?? "", r, w.scope());
  // NOTE: echo_location_async also waits here. nginx would run the next
  // directives meanwhile, but it still sends the subrequest's output
  // first, so only the timing differs.
  const sr = createSubrequest(w, r, plainSubrequest(uri, query), false);
  yield* runSubrequest(w, sr);
}

/** Runs a location's echo directives in order, then ends the response. */
export function* runEcho(
  w: Worker,
  r: HttpRequest,
  steps: EchoStep[],
): Generator<Wait, void, void> {
  for (const step of steps) {
    if (r.wire.state !== "open") return;
    switch (step.kind) {
      case "echo":
      case "echo_before_body":
      case "echo_after_body":
        sendHeader(w, r);
        send(w, r, utf8(echoText(w, r, step.args)));
        break;
      case "echo_duplicate": {
        const count = Number(interpolate(step.args[0] ?? "0", r, w.scope()));
        const text = interpolate(step.args[1] ?? "", r, w.scope());
        sendHeader(w, r);
        send(w, r, utf8(text.repeat(Math.max(0, count))));
        break;
      }
      case "echo_flush":
        sendHeader(w, r);
        sendBody(w, r, new Uint8Array(0), { flush: true });
        break;
      case "echo_sleep": {
        const seconds = Number(interpolate(step.args[0] ?? "0", r, w.scope()));
        yield { kind: "sleep", ms: seconds * 1000 };
        break;
      }
      case "echo_status":
        r.status = Number(step.args[0]);
        break;
      case "echo_location":
      case "echo_location_async":
        yield* runEchoLocation(w, r, step.args);
        break;
      default:
        w.logFor(r, "warn", `${step.kind} is not simulated; it was skipped`);
    }
  }
  finishOutput(w, r);
}
