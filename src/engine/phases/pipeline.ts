/**
 * The request pipeline in nginx's phase order: server rewrite, location
 * lookup, location rewrite (set, rewrite, return, set_by_lua in config
 * order, then rewrite_by_lua), access, content; the header and body
 * filters run whenever output is sent; the log phase runs last, after the
 * response, whatever happened before.
 */
import type { IfCondition, Location, RewriteStep } from "../config/types";
import { utf8 } from "../http/wire";
import type { Worker } from "../process/worker";
import type { PhaseName } from "../trace/events";
import { runEcho } from "./echo";
import { runProxyPass } from "./proxyPass";
import { applyErrorPage } from "./errorPages";
import { sendBody, sendHeader, sendSpecialResponse } from "./filters";
import { findLocation, locationRegex } from "./findLocation";
import type { HttpRequest } from "./httpRequest";
import { callHandler, logSuffixFor, runPhaseHandler, type HandlerOutcome, type Wait } from "./luaHandler";
import { interpolate, type VariableScope } from "./variables";

/** What the pipeline does after a step. */
export type Next = "continue" | "restart" | "stop";

const MAX_REDIRECTS = 10;

/** Serves one request from arrival to the end of its log phase. */
export function* processRequest(w: Worker, r: HttpRequest): Generator<Wait, void, void> {
  if (r.isBadRequest) {
    // Rejected while reading the request line: no location, no Lua.
    w.logFor(r, "info", "client sent invalid request while reading client request line");
    r.closeAfter = true;
    finishWithStatus(w, r, 400);
    w.endRequest(r);
    return;
  }
  w.prepareLuaStateForRequest();
  yield* runPhases(w, r);
  runLogPhase(w, r);
  w.endRequest(r);
}

/**
 * Runs server rewrite, location lookup and the location's phases,
 * following internal redirects; subrequests run this too.
 */
export function* runPhases(w: Worker, r: HttpRequest): Generator<Wait, void, void> {
  if (runRewriteSteps(w, r, r.server.rewrite) === "stop") return;
  for (;;) {
    const location = r.namedLocation ?? findLocation(r.server, r.uri);
    r.namedLocation = null;
    r.location = location;
    if (location && (location.modifier === "~" || location.modifier === "~*")) {
      const match = locationRegex(location).exec(r.uri);
      r.captures = [...(match ?? [])];
      r.namedCaptures = { ...(match?.groups ?? {}) };
    }
    // With no matching location, the server level's static handler runs;
    // a client request for an `internal` location gets 404.
    const isForbiddenInternal = location?.isInternal === true && !r.isInternal && !r.parent;
    const next = isForbiddenInternal
      ? finishWithStatus(w, r, 404)
      : location
        ? yield* runLocation(w, r, location)
        : serveStatic(w, r);
    if (next !== "restart") return;
    if (++r.redirects > MAX_REDIRECTS) {
      w.logFor(r, "error", `rewrite or internal redirection cycle while processing "${r.uri}"`);
      sendSpecialResponse(w, r, 500);
      return;
    }
  }
}

function* runLocation(w: Worker, r: HttpRequest, loc: Location): Generator<Wait, Next, void> {
  if (loc.needRequestBody) r.bodyRead = true;
  const rewrite = runRewriteSteps(w, r, loc.rewrite);
  if (rewrite !== "continue") return rewrite;
  for (const phase of ["rewrite", "access"] as const) {
    const code = loc.lua[phase];
    if (!code) continue;
    const next = yield* runYieldingPhase(w, r, phase, code);
    if (next !== "continue") return next;
  }
  r.phase = "content";
  r.hasEnteredContent = true;
  if (loc.lua.content) {
    return yield* runYieldingPhase(w, r, "content", loc.lua.content);
  }
  if (loc.proxyPass) {
    w.tracePhase(r, "content", "start");
    const next = yield* runProxyPass(w, r, loc.proxyPass, loc.pattern);
    w.tracePhase(r, "content", "end", "done");
    return next;
  }
  if (loc.echo.length > 0) {
    w.tracePhase(r, "content", "start");
    yield* runEcho(w, r, loc.echo);
    w.tracePhase(r, "content", "end", "done");
    return "stop";
  }
  return serveStatic(w, r);
}

function* runYieldingPhase(
  w: Worker,
  r: HttpRequest,
  phase: PhaseName,
  code: NonNullable<Location["lua"]["content"]>,
): Generator<Wait, Next, void> {
  r.phase = phase;
  w.tracePhase(r, phase, "start", undefined, code.chunkName);
  const outcome = yield* runPhaseHandler(w, r, phase, code);
  w.tracePhase(r, phase, "end", describeOutcome(outcome));
  return handleOutcome(w, r, phase, outcome);
}

function describeOutcome(outcome: HandlerOutcome): string {
  if (outcome.kind === "exit") return `ngx.exit(${outcome.code})`;
  return outcome.kind;
}

/** Applies lua-nginx-module's rules for how a handler ended. */
function handleOutcome(w: Worker, r: HttpRequest, phase: PhaseName, outcome: HandlerOutcome): Next {
  const isContent = phase === "content";
  switch (outcome.kind) {
    case "done":
      if (!isContent) return "continue";
      finishOutput(w, r);
      return "stop";
    case "exit":
      return handleExit(w, r, isContent, outcome.code);
    case "exec":
      r.uri = outcome.uri;
      r.args = outcome.args;
      if (!outcome.isJump) {
        // An internal redirect starts the request's Lua context afresh.
        r.isInternal = true;
        r.ctxRef = null;
      }
      return "restart";
    case "load-error":
      w.logFor(r, "error", `failed to load inlined Lua code: ${outcome.message}`);
      return finishWithStatus(w, r, 500);
    case "error":
      w.logFor(
        r,
        "error",
        `lua entry thread aborted: runtime error: ${outcome.message}\n${outcome.traceback}`,
      );
      if (!r.isHeaderSent) return finishWithStatus(w, r, 500);
      w.failRequest(r);
      return "stop";
    case "aborted":
      w.abortRequest(r, outcome.reason);
      return "stop";
  }
}

function handleExit(w: Worker, r: HttpRequest, isContent: boolean, code: number): Next {
  if (code === 0 || code === -5) {
    if (!isContent) return "continue";
    finishOutput(w, r);
    return "stop";
  }
  if (code < 0 || code === 444) {
    w.failRequest(r);
    return "stop";
  }
  const isSuccess = code >= 200 && code < 300 && code !== 204;
  if (isSuccess || r.isHeaderSent) {
    if (!isSuccess) {
      w.logFor(
        r,
        "error",
        `attempt to set status ${code} via ngx.exit after sending out the ` +
          `response status ${r.status}`,
      );
    }
    if (!r.isHeaderSent && r.status === 0) r.status = code;
    finishOutput(w, r);
    return "stop";
  }
  return finishWithStatus(w, r, code);
}

/**
 * Sends the header if needed and the last buffer: a normal end. A body
 * filter that fails on the last buffer ends the request with NGX_ERROR,
 * which closes the connection.
 */
export function finishOutput(w: Worker, r: HttpRequest): void {
  sendHeader(w, r);
  if (r.hasSentLast || r.wire.state !== "open") return;
  r.hasSentLast = true;
  if (!sendBody(w, r, new Uint8Array(0), { last: true })) w.failRequest(r);
}

/**
 * Ends the request with nginx's response for `status`, or with an
 * internal redirect ("restart") when an error_page covers the status.
 */
export function finishWithStatus(w: Worker, r: HttpRequest, status: number): Next {
  if (status === 444) {
    w.failRequest(r);
    return "stop";
  }
  const pageStatus = applyErrorPage(w, r, status);
  if (pageStatus === "restart") return "restart";
  sendSpecialResponse(w, r, pageStatus);
  return "stop";
}

/** Runs `set`, `rewrite`, `return` and set_by_lua in config order. */
function runRewriteSteps(w: Worker, r: HttpRequest, steps: RewriteStep[]): Next {
  for (const step of steps) {
    const next = runRewriteStep(w, r, step);
    if (next === "break") return "continue";
    if (next !== "continue") return next;
  }
  return "continue";
}

/**
 * Checks an `if` condition as ngx_http_script_if_code does. A regex match
 * sets $1.. (and named captures) for the directives after it.
 */
function isConditionTrue(r: HttpRequest, condition: IfCondition, scope: VariableScope): boolean {
  if (condition.kind === "variable") {
    const value = interpolate(condition.value, r, scope);
    return value !== "" && value !== "0";
  }
  const left = interpolate(condition.left, r, scope);
  switch (condition.kind) {
    case "compare":
      return (left === interpolate(condition.right, r, scope)) === (condition.op === "=");
    case "match": {
      const match = condition.regex.exec(left);
      if (match) {
        r.captures = [...match];
        r.namedCaptures = { ...(match.groups ?? {}) };
      }
      return Boolean(match) !== condition.isNegated;
    }
  }
}

function runRewriteStep(w: Worker, r: HttpRequest, step: RewriteStep): Next | "break" {
  const scope = w.scope();
  switch (step.kind) {
    case "set": {
      const value = interpolate(step.value, r, scope);
      r.variables.set(step.variable.toLowerCase(), value);
      w.traceVariable(r, step.variable, value);
      return "continue";
    }
    case "set_by_lua":
      return runSetByLua(w, r, step);
    case "return":
      return runReturn(w, r, step.code, step.text);
    case "break":
      return "break";
    case "if": {
      if (!isConditionTrue(r, step.condition, w.scope())) return "continue";
      for (const inner of step.steps) {
        const next = runRewriteStep(w, r, inner);
        if (next !== "continue") return next;
      }
      return "continue";
    }
    case "rewrite": {
      const match = new RegExp(step.regex).exec(r.uri);
      if (!match) return "continue";
      r.captures = [...match];
      r.namedCaptures = { ...(match.groups ?? {}) };
      const target = interpolate(step.replacement, r, scope, [...match]);
      const [path, query] = splitQuery(target);
      if (step.flag === "redirect" || step.flag === "permanent" || /^https?:\/\//.test(path)) {
        // nginx appends the request's arguments unless the replacement
        // has its own (a trailing "?" drops them).
        const withArgs = query === null && r.args ? `${target}?${r.args}` : target.replace(/\?$/, "");
        r.headersOut.push({ name: "Location", value: absoluteRedirect(r, withArgs) });
        return finishWithStatus(w, r, step.flag === "permanent" ? 301 : 302);
      }
      r.uri = path;
      if (query !== null) r.args = query;
      if (step.flag === "last") return "restart";
      if (step.flag === "break") return "break";
      return "continue";
    }
  }
}

function splitQuery(target: string): [string, string | null] {
  const q = target.indexOf("?");
  return q < 0 ? [target, null] : [target.slice(0, q), target.slice(q + 1)];
}

/**
 * Makes a relative redirect target absolute, as nginx does for `return`
 * and `rewrite` (absolute_redirect on, port_in_redirect on): the Host
 * header's name and the server's port.
 */
function absoluteRedirect(r: HttpRequest, target: string): string {
  if (!target.startsWith("/")) return target;
  const host = (r.header("host") ?? r.server.serverNames[0] ?? "localhost").replace(/:\d+$/, "");
  const port = r.server.listen[0]?.port ?? 80;
  return `http://${host}${port === 80 ? "" : `:${port}`}${target}`;
}

function runReturn(w: Worker, r: HttpRequest, code: number, text: string | null): Next {
  const value = text === null ? null : interpolate(text, r, w.scope());
  if (code >= 301 && code <= 308 && code !== 304 && value !== null) {
    r.headersOut.push({ name: "Location", value: absoluteRedirect(r, value) });
    return finishWithStatus(w, r, code);
  }
  if (value === null) return finishWithStatus(w, r, code);
  r.status = code;
  const body = utf8(value);
  r.contentLength = body.length;
  sendHeader(w, r);
  r.hasSentLast = true;
  if (!sendBody(w, r, body, { last: true })) w.failRequest(r);
  return "stop";
}

function runSetByLua(
  w: Worker,
  r: HttpRequest,
  step: Extract<RewriteStep, { kind: "set_by_lua" }>,
): Next {
  const scope = w.scope();
  const setArgs = step.args.map((a) => interpolate(a, r, scope));
  const ctx = { phase: "set" as const, request: r, logSuffix: "", setArgs };
  w.tracePhase(r, "set", "start", undefined, step.lua.chunkName);
  const outcome = callHandler(w, step.lua, ctx, 1);
  w.tracePhase(r, "set", "end", outcome.kind);
  if (outcome.kind === "done" && outcome.thread !== undefined) {
    const value = w.resultText(outcome.thread);
    r.variables.set(step.variable.toLowerCase(), value);
    w.traceVariable(r, step.variable, value);
    return "continue";
  }
  const message =
    outcome.kind === "load-error"
      ? `failed to load inlined Lua code: ${outcome.message}`
      : outcome.kind === "error"
        ? `failed to run set_by_lua*: ${outcome.message}\n${outcome.traceback}`
        : outcome.kind === "aborted"
          ? outcome.reason
          : "";
  w.logFor(r, "error", message);
  return finishWithStatus(w, r, 500);
}

/** nginx's static module: no files exist in the simulator, so 404. */
function serveStatic(w: Worker, r: HttpRequest): Next {
  const path = `${w.prefix}/html${r.uri}${r.uri.endsWith("/") ? "index.html" : ""}`;
  w.logFor(r, "error", `open() "${path}" failed (2: No such file or directory)`);
  return finishWithStatus(w, r, 404);
}

/** Runs log_by_lua after the response, as nginx's log phase does. */
function runLogPhase(w: Worker, r: HttpRequest): void {
  r.phase = "log";
  const code = r.location?.lua.log;
  if (!code) return;
  w.tracePhase(r, "log", "start", undefined, code.chunkName);
  const outcome = callHandler(w, code, { phase: "log", request: r, logSuffix: logSuffixFor("log") });
  w.tracePhase(r, "log", "end", outcome.kind);
  if (outcome.kind === "done") return;
  const message =
    outcome.kind === "load-error"
      ? `failed to load inlined Lua code: ${outcome.message}`
      : outcome.kind === "error"
        ? `failed to run log_by_lua*: ${outcome.message}\n${outcome.traceback}`
        : outcome.reason;
  w.logFor(r, "error", message + logSuffixFor("log"));
}
