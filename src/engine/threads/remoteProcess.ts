/**
 * The master's handle on a process that runs in a thread of its own. It
 * turns the master's calls (accept a connection, exit, SIGKILL) into
 * messages, and the thread's messages (a response, an exit) into the
 * state the master and the client read. In lockstep each call waits for
 * the thread's reply, so it returns as a call to a Worker in this thread
 * would, with the thread's records added to the master's in order.
 */
import type { HttpRequest } from "../phases/httpRequest";
import type { ErrorLog } from "../process/errorLog";
import type { LaunchRequest, ProcessRef } from "../process/master";
import type { ResponseRecord } from "../scenario";
import type { TraceRecorder } from "../trace/recorder";
import { receiveFromMailbox } from "./mailbox";
import type { FromThread, LockstepReply, ThreadPort, ThreadProcess, ToThread } from "./threadProtocol";

/** The mailbox of a lockstep thread's replies, and the records they go to. */
export interface LockstepLink {
  mailbox: SharedArrayBuffer;
  trace: TraceRecorder;
  errorLog: ErrorLog;
  /** How long to wait for a reply before giving the thread up. */
  timeoutMs: number;
}

type Finished = Extract<FromThread, { type: "finished" }>;

export class RemoteProcess implements ProcessRef {
  readonly process: ThreadProcess & { clock: number };
  isDead = false;
  isExiting = false;
  activeRequests = 0;
  isLoaded = false;
  isStarted = false;
  /** The thread's records, once it replied to "finish". */
  finished: Finished | null = null;
  /** Lockstep: the thread's next task, as of its last reply. */
  head: { due: number; seq: number } | null = null;
  /** Lockstep: every response record, once it replied to "finish". */
  records: ResponseRecord[] | null = null;
  private readonly requests = new Map<number, HttpRequest>();

  constructor(
    readonly port: ThreadPort,
    private readonly launch: LaunchRequest,
    /** The master's current virtual time. */
    private readonly virtualNow: () => number,
    private readonly lockstep: LockstepLink | null = null,
  ) {
    this.process = { pid: launch.pid, kind: launch.kind, workerId: launch.workerId, clock: launch.at };
  }

  /** Sends a message; in lockstep, waits for the reply and applies it. */
  post(message: ToThread): void {
    this.port.post(message);
    if (!this.lockstep) return;
    for (;;) {
      const reply = receiveFromMailbox(this.lockstep.mailbox, this.lockstep.timeoutMs) as LockstepReply;
      this.apply(reply, this.lockstep);
      if (reply.isFinal) return;
    }
  }

  /** Lockstep: runs the thread's next task. */
  step(): void {
    this.post({ type: "step" });
  }

  private apply(reply: LockstepReply, link: LockstepLink): void {
    for (const event of reply.events) link.trace.record(event);
    link.errorLog.entries.push(...reply.log);
    link.errorLog.stderr.push(...reply.stderr);
    for (const response of reply.responses) this.settleResponse(response);
    this.head = reply.head;
    this.process.clock = reply.clock;
    this.isExiting = reply.isExiting;
    this.activeRequests = reply.activeRequests;
    if (reply.records) this.records = reply.records;
    if (reply.failure !== null) throw new Error(`process ${this.process.pid} failed: ${reply.failure}`);
    if (reply.exit) this.settleExit(reply.exit.status, reply.exit.at);
  }

  /** Tells the client's copy of the request how its response ended. */
  private settleResponse(response: Extract<FromThread, { type: "response" }>): void {
    const r = this.requests.get(response.requestIndex);
    if (!this.lockstep) this.activeRequests--;
    if (!r) return;
    r.wire.state = response.state;
    r.endTime = response.endTime;
  }

  private settleExit(status: number | "killed", at: number): void {
    this.isDead = true;
    this.process.clock = at;
    this.launch.onExit(this, status);
  }

  accept(r: HttpRequest, due: number): void {
    this.requests.set(r.requestIndex, r);
    if (!this.lockstep) this.activeRequests++;
    this.post({
      type: "request",
      requestIndex: r.requestIndex,
      connection: r.connection,
      method: r.method,
      requestUri: r.requestUri,
      headers: r.headers,
      body: r.body,
      arrival: due,
    });
  }

  beginExit(due: number, isQuit: boolean): void {
    if (this.isDead || this.isExiting) return;
    // In lockstep the thread reports when its exit has begun.
    if (!this.lockstep) this.isExiting = true;
    this.post({ type: "exit", at: due, isQuit });
  }

  kill(): void {
    if (this.isDead) return;
    if (!this.lockstep) this.process.clock = Math.max(this.process.clock, this.virtualNow());
    this.post({ type: "kill" });
  }

  /** Applies one message from the thread; returns a failure's text, if any. */
  receive(message: FromThread): string | null {
    switch (message.type) {
      case "loaded":
        this.isLoaded = true;
        return null;
      case "pong":
        return null;
      case "started":
        this.isStarted = true;
        return null;
      case "response":
        this.settleResponse(message);
        return null;
      case "exit":
        this.settleExit(message.status, message.at);
        return null;
      case "finished":
        this.finished = message;
        return null;
      case "failed":
        return message.message;
    }
  }
}
