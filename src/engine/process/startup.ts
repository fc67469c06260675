/**
 * The start-up handlers: init_by_lua runs once before the workers exist
 * (nginx -t does not run it, so its errors stop the real start), and
 * init_worker_by_lua runs in each worker as it starts.
 */
import type { LuaCode } from "../config/types";
import { setInitJournal, type InitJournal } from "../lua/initJournal";
import { logWithContext } from "../lua/ngx/ngxCore";
import { callHandler, logSuffixFor } from "../phases/luaHandler";
import type { Worker } from "./worker";

/**
 * Runs init_by_lua with the master's identity. The master's run records
 * its API calls in `journal`; a new worker's VM runs it again silently in
 * replay mode, which gives that VM the state a fork of the master has.
 */
export function runInitByLua(
  w: Worker,
  code: LuaCode,
  journal: InitJournal,
): string | null {
  w.process.beginIteration(w.process.clock);
  w.isReplayingInit = journal.mode === "replay";
  journal.cursor = 0;
  setInitJournal(w.vm.L, journal);
  const outcome = callHandler(w, code, { phase: "init", request: null, logSuffix: "" });
  setInitJournal(w.vm.L, null);
  w.isReplayingInit = false;
  if (outcome.kind === "done") return null;
  if (outcome.kind === "load-error" ) {
    return `nginx: [error] init_by_lua error: ${outcome.message}`;
  }
  if (outcome.kind === "aborted") return `nginx: [error] init_by_lua error: ${outcome.reason}`;
  return `nginx: [error] init_by_lua error: ${outcome.message}\n${outcome.traceback}`;
}

/** Runs init_worker_by_lua in a starting worker; errors are only logged. */
export function runInitWorkerByLua(w: Worker, code: LuaCode): void {
  const ctx = { phase: "init_worker" as const, request: null, logSuffix: logSuffixFor("init_worker") };
  const outcome = callHandler(w, code, ctx);
  if (outcome.kind === "done") return;
  const message =
    outcome.kind === "load-error"
      ? `failed to load inlined Lua code: ${outcome.message}`
      : outcome.kind === "aborted"
        ? outcome.reason
        : `failed to run init_worker_by_lua*: ${outcome.message}\n${outcome.traceback}`;
  w.withContext(ctx, () => logWithContext(w, "error", message));
}
