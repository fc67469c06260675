/**
 * The master's handle on a process that runs in a thread of its own. It
 * turns the master's calls (accept a connection, exit, SIGKILL) into
 * messages, and the thread's messages (a response, an exit) into the
 * state the master and the client read.
 */
import type { HttpRequest } from "../phases/httpRequest";
import type { LaunchRequest, ProcessRef } from "../process/master";
import type { FromThread, ThreadPort, ThreadProcess, ToThread } from "./threadProtocol";

type Finished = Extract<FromThread, { type: "finished" }>;

export class RemoteProcess implements ProcessRef {
  readonly process: ThreadProcess & { clock: number };
  isDead = false;
  isExiting = false;
  activeRequests = 0;
  isLoaded = false;
  isStarted = false;
  /** The thread's records, once it answered "finish". */
  finished: Finished | null = null;
  private readonly requests = new Map<number, HttpRequest>();

  constructor(
    readonly port: ThreadPort,
    private readonly launch: LaunchRequest,
    /** The master's current virtual time. */
    private readonly virtualNow: () => number,
  ) {
    this.process = { pid: launch.pid, kind: launch.kind, workerId: launch.workerId, clock: launch.at };
  }

  post(message: ToThread): void {
    this.port.post(message);
  }

  accept(r: HttpRequest, due: number): void {
    this.requests.set(r.requestIndex, r);
    this.activeRequests++;
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
    this.isExiting = true;
    this.post({ type: "exit", at: due, isQuit });
  }

  kill(): void {
    if (this.isDead) return;
    this.process.clock = Math.max(this.process.clock, this.virtualNow());
    this.post({ type: "kill" });
  }

  /** Applies one message from the thread; returns a failure's text, if any. */
  receive(message: FromThread): string | null {
    switch (message.type) {
      case "loaded":
        this.isLoaded = true;
        return null;
      case "started":
        this.isStarted = true;
        return null;
      case "response": {
        const r = this.requests.get(message.requestIndex);
        this.activeRequests--;
        if (r) {
          // The client's copy of the request learns how its response ended.
          r.wire.state = message.state;
          r.endTime = message.endTime;
        }
        return null;
      }
      case "exit":
        this.isDead = true;
        this.process.clock = message.at;
        this.launch.onExit(this, message.status);
        return null;
      case "finished":
        this.finished = message;
        return null;
      case "failed":
        return message.message;
    }
  }
}
