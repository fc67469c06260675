/**
 * The scheduler of one handler run: its entry thread, the user threads
 * that ngx.thread.spawn adds, and the subrequests that
 * ngx.location.capture issues, all on the worker's event loop.
 *
 * It follows ngx_http_lua_run_thread (lua-nginx-module 0.10). Spawn runs
 * the new thread at once until it first yields, then resumes the parent.
 * A thread that ends while its parent waits on it resumes the parent at
 * once; otherwise it becomes a zombie that ngx.thread.wait collects. The
 * run lasts until the entry thread and every user thread have ended.
 * ngx.exit, ngx.exec or an entry thread error ends the run at once and
 * kills the other threads.
 */
import { threadId } from "../lua/threadIds";
import { luaPosition } from "../lua/luaThreadTraceback";
import { lua } from "fengari";
import type { LuaCoroutine, ResumeOutcome } from "../lua/luaThread";
import { coroutineTraceback } from "../lua/luaThreadTraceback";
import { logWithContext } from "../lua/ngx/ngxCore";
import {
  registerThreadHost,
  type LightThread,
  type LightThreadHost,
} from "../lua/ngx/ngxThread";
import type { HandlerContext } from "../lua/ngx/runtime";
import type { Worker } from "../process/worker";
import {
  isParkRequest,
  type HandlerOutcome,
  type ParkRequest,
  type Wait,
  type Wakeup,
} from "./luaHandler";
import {
  createSubrequest,
  pushCaptureResult,
  runSubrequest,
  type SubrequestSpec,
} from "./subrequest";
import type { HttpRequest } from "./httpRequest";

type LuaState = unknown;
type PushArgs = (L: LuaState) => number;

/** A resume or subrequest step due at a virtual time. */
interface Task {
  /** Virtual ms of the process clock. */
  at: number;
  seq: number;
  /** The thread the task resumes, so killing it can drop the task. */
  owner: LightThread | null;
  run(): void;
}

interface ThreadState extends LightThread {
  /** The threads this one waits on with ngx.thread.wait. */
  waitingOn: LightThread[] | null;
  /** True once the trace has this light thread's end. */
  hasTracedExit: boolean;
}

/** Runs a handler function and its light threads until the run ends. */
export function* runLightThreads(
  w: Worker,
  fnRef: number,
  ctx: HandlerContext,
  pushArgs?: PushArgs,
): Generator<Wait, HandlerOutcome, void> {
  const run = new HandlerRun(w, ctx);
  registerThreadHost(ctx, run);
  return yield* run.drive(fnRef, pushArgs);
}

class HandlerRun implements LightThreadHost {
  running: LightThread | null = null;
  /** Every thread of the run by its Lua coroutine, dead ones included. */
  private readonly known = new Map<LuaState, ThreadState>();
  /** Threads that are alive or zombies; the run ends when none is left. */
  private readonly threads = new Set<ThreadState>();
  private tasks: Task[] = [];
  private taskSeq = 0;
  private outcome: HandlerOutcome | null = null;
  /** Ends the run's current Wait early; null while the run is active. */
  private wakeup: Wakeup | null = null;

  constructor(
    private readonly w: Worker,
    private readonly ctx: HandlerContext,
  ) {}

  *drive(
    fnRef: number,
    pushArgs?: PushArgs,
  ): Generator<Wait, HandlerOutcome, void> {
    const entry = this.addThread(this.w.vm.newCoroutine(fnRef), null);
    this.step(entry, pushArgs);
    for (;;) {
      if (this.outcome) return this.finish(this.outcome);
      if (this.threads.size === 0) return { kind: "done" };
      const first = this.peekTask();
      const wakeup: Wakeup = { notify: null };
      this.wakeup = wakeup;
      if (first) {
        const delay = Math.max(0, first.at - this.w.process.clock);
        yield { kind: "sleep", ms: delay, wakeup };
      } else {
        // Every thread waits on something only an outside event (a
        // cosocket's data) can bring, or on nothing that can happen.
        yield { kind: "forever", wakeup };
      }
      this.wakeup = null;
      // A wakeup may have queued a task earlier than `first`.
      this.nextTask()?.run();
    }
  }

  threadOf(thread: LuaState): LightThread | undefined {
    return this.known.get(thread);
  }

  reapZombie(t: LightThread, L: LuaState): number {
    const T = t.co.thread;
    const n = lua.lua_gettop(T);
    lua.lua_xmove(T, L, n);
    this.forget(t as ThreadState);
    return n;
  }

  kill(t: LightThread): void {
    this.tasks = this.tasks.filter((task) => task.owner !== t);
    this.traceExit(t as ThreadState, "killed");
    this.forget(t as ThreadState);
  }

  /** Records the end of a light thread once (the entry thread has none). */
  private traceExit(t: ThreadState, outcome: "done" | "error" | "killed"): void {
    if (!t.isUserThread || t.hasTracedExit) return;
    t.hasTracedExit = true;
    this.w.traceLightThread(this.ctx, threadId(t.co.thread), { kind: "thread-exit", outcome });
  }

  private addThread(co: LuaCoroutine, parent: LightThread | null): ThreadState {
    const t: ThreadState = {
      co,
      parent,
      isUserThread: parent !== null,
      status: "running",
      pendingSubrequests: 0,
      waitingOn: null,
      hasTracedExit: false,
    };
    this.known.set(co.thread, t);
    this.threads.add(t);
    return t;
  }

  /**
   * Marks a thread dead and drops it from the run, together with its
   * zombie children. Its live children keep running.
   */
  private forget(t: ThreadState): void {
    t.status = "dead";
    t.waitingOn = null;
    this.threads.delete(t);
    this.w.vm.release(t.co);
    for (const child of [...this.threads]) {
      if (child.parent === t && child.status === "zombie") this.forget(child);
    }
  }

  private schedule(
    at: number,
    owner: LightThread | null,
    run: () => void,
  ): Task {
    const task = { at, seq: this.taskSeq++, owner, run };
    this.tasks.push(task);
    return task;
  }

  private peekTask(): Task | undefined {
    const index = this.earliestTaskIndex();
    return index < 0 ? undefined : this.tasks[index];
  }

  private nextTask(): Task | undefined {
    const index = this.earliestTaskIndex();
    return index < 0 ? undefined : this.tasks.splice(index, 1)[0];
  }

  private earliestTaskIndex(): number {
    let best = -1;
    this.tasks.forEach((task, i) => {
      const current = this.tasks[best];
      const isEarlier =
        !current ||
        task.at < current.at ||
        (task.at === current.at && task.seq < current.seq);
      if (isEarlier) best = i;
    });
    return best;
  }

  /** Ends the run early: every thread still alive is killed. */
  private finish(outcome: HandlerOutcome): HandlerOutcome {
    for (const t of [...this.threads]) {
      this.traceExit(t, "killed");
      this.forget(t);
    }
    this.tasks = [];
    return outcome;
  }

  /** Resumes a thread until it yields, ends or fails. */
  private step(t: ThreadState, pushArgs?: PushArgs): void {
    if (this.outcome || t.status === "dead") return;
    const previous = this.running;
    this.running = t;
    if (t.status === "suspended") this.w.traceResume(this.ctx, threadId(t.co.thread));
    t.status = "running";
    const outcome = this.w.withContext(this.ctx, () =>
      this.w.vm.resume(t.co, pushArgs),
    );
    this.running = previous;
    this.handleResume(t, outcome);
  }

  private handleResume(t: ThreadState, outcome: ResumeOutcome): void {
    switch (outcome.kind) {
      case "done":
        this.threadEnded(t, true);
        return;
      case "error":
        if (!t.isUserThread) {
          this.outcome = outcome;
          return;
        }
        this.userThreadFailed(t, outcome.message);
        return;
      case "aborted":
        this.outcome = outcome;
        return;
      case "yield":
        t.status = "suspended";
        this.handleRequest(t, outcome.request);
    }
  }

  private handleRequest(t: ThreadState, request: Record<string, unknown>) {
    const op = String(request.op);
    const ms = op === "sleep" ? (request.seconds as number) * 1000 : 0;
    if (op !== "exit" && op !== "exec") {
      const source = luaPosition(t.co.thread) ?? undefined;
      this.w.traceYield(this.ctx, op, ms, threadId(t.co.thread), source);
    }
    if (isParkRequest(request)) {
      this.park(t, request as unknown as ParkRequest);
      return;
    }
    switch (op) {
      case "exit":
        this.outcome = { kind: "exit", code: request.code as number };
        return;
      case "exec":
        this.outcome = {
          kind: "exec",
          uri: request.uri as string,
          args: request.args as string,
          isJump: request.isJump === true,
        };
        return;
      case "thread-spawn":
        this.spawn(t, request.co as LuaCoroutine, request.nargs as number);
        return;
      case "thread-wait":
        t.waitingOn = request.targets as LightThread[];
        return;
      case "capture":
        this.capture(t, request.specs as SubrequestSpec[]);
        return;
      default:
        this.schedule(this.w.process.clock + ms, t, () => this.step(t));
    }
  }

  /**
   * Suspends a thread until the request's event resumes it or its timeout
   * passes, whichever comes first.
   */
  private park(t: ThreadState, request: ParkRequest): void {
    let isSettled = false;
    let timeout: Task | null = null;
    if (request.timeoutMs !== null) {
      timeout = this.schedule(
        this.w.process.clock + request.timeoutMs,
        t,
        () => {
          if (isSettled) return;
          isSettled = true;
          this.step(t, (L) => request.onTimeout(L));
        },
      );
    }
    request.park((at, push) => {
      if (isSettled || t.status === "dead") return;
      isSettled = true;
      this.tasks = this.tasks.filter((task) => task !== timeout);
      this.schedule(at, t, () => this.step(t, push));
      this.wakeup?.notify?.(at);
    });
  }

  private spawn(parent: ThreadState, co: LuaCoroutine, nargs: number) {
    const child = this.addThread(co, parent);
    this.w.traceLightThread(
      this.ctx,
      threadId(parent.co.thread),
      { kind: "thread-spawn", child: threadId(co.thread) },
      luaPosition(parent.co.thread) ?? undefined,
    );
    this.step(child, () => nargs);
    if (this.outcome) return;
    // The coroutine object itself, because a child that already failed
    // has given up its registry reference.
    this.step(parent, (L) => {
      lua.lua_checkstack(co.thread, 1);
      lua.lua_pushthread(co.thread);
      lua.lua_xmove(co.thread, L, 1);
      return 1;
    });
  }

  /** Hands a finished thread's results to a waiting parent or keeps them. */
  private threadEnded(t: ThreadState, isSuccess: boolean): void {
    this.traceExit(t, isSuccess ? "done" : "error");
    if (!t.isUserThread) {
      this.forget(t);
      return;
    }
    const T = t.co.thread;
    lua.lua_checkstack(T, 1);
    lua.lua_pushboolean(T, isSuccess);
    lua.lua_insert(T, 1);
    const parent = t.parent as ThreadState;
    if (parent.status === "dead") {
      this.forget(t);
      return;
    }
    if (parent.waitingOn?.includes(t)) {
      parent.waitingOn = null;
      this.step(parent, (L) => this.reapZombie(t, L));
      return;
    }
    t.status = "zombie";
  }

  private userThreadFailed(t: ThreadState, message: string): void {
    const chain: LuaState[] = [];
    for (let c: LightThread | null = t; c; c = c.parent) {
      if (c !== t && c.status === "dead") break;
      chain.push(c.co.thread);
    }
    const traceback = coroutineTraceback(chain);
    this.w.withContext(this.ctx, () =>
      logWithContext(
        this.w,
        "error",
        `lua user thread aborted: runtime error: ${message}\n${traceback}`,
      ),
    );
    this.threadEnded(t, false);
  }

  private capture(t: ThreadState, specs: SubrequestSpec[]): void {
    const parentRequest = this.ctx.request as HttpRequest;
    const subrequests = specs.map((spec) =>
      createSubrequest(this.w, parentRequest, spec, true),
    );
    t.pendingSubrequests = subrequests.length;
    const onDone = () => {
      t.pendingSubrequests--;
      if (t.pendingSubrequests > 0) return;
      this.step(t, (L) => {
        for (const sr of subrequests) pushCaptureResult(L, sr);
        return subrequests.length;
      });
    };
    for (const sr of subrequests) {
      this.advance(t, runSubrequest(this.w, sr), onDone);
    }
  }

  /** Runs a subrequest until its next wait, then schedules the rest. */
  private advance(
    owner: ThreadState,
    gen: Generator<Wait, void, void>,
    onDone: () => void,
  ): void {
    if (this.outcome) return;
    const next = gen.next();
    if (next.done) {
      onDone();
      return;
    }
    const wait = next.value;
    let isSettled = false;
    const resume = () => {
      if (isSettled) return;
      isSettled = true;
      this.advance(owner, gen, onDone);
    };
    let timed: Task | null = null;
    if (wait.kind === "sleep") {
      timed = this.schedule(this.w.process.clock + wait.ms, owner, resume);
    }
    // A subrequest's own wait (its cosocket) can end early: move its task
    // and pass the wakeup on to this run's Wait.
    if (wait.wakeup) {
      wait.wakeup.notify = (at) => {
        if (isSettled) return;
        this.tasks = this.tasks.filter((task) => task !== timed);
        timed = this.schedule(at, owner, resume);
        this.wakeup?.notify?.(at);
      };
    }
  }
}
