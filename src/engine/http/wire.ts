/**
 * One client connection as the client sees it: what nginx's write filter
 * actually put on the wire, and how the connection ended. nginx's write
 * filter holds small output back until it is flushed, the response ends,
 * or `postpone_output` (1460 bytes) is reached, so output that was never
 * flushed is lost when the connection is closed early.
 */
import type { ResponseRecord } from "../scenario";

const POSTPONE_OUTPUT = 1460;
const encoder = new TextEncoder();

export interface WireHeader {
  name: string;
  value: string;
}

export type WireState = "open" | "complete" | "closed";

export class Wire {
  statusLine: string | null = null;
  status: number | null = null;
  headers: WireHeader[] = [];
  isChunked = false;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Body bytes the client received, chunk framing removed. */
  private received: Uint8Array[] = [];
  /** Bytes of body put on the socket, chunk framing included. */
  bodyBytesSent = 0;
  private hasSentHeader = false;
  private hasQueuedHeader = false;
  state: WireState = "open";

  constructor(readonly connection: number) {}

  /** True once the header went through the filters (even if buffered). */
  get isHeaderQueued(): boolean {
    return this.hasQueuedHeader;
  }

  /** True once any byte reached the client. */
  get hasSentAnything(): boolean {
    return this.hasSentHeader;
  }

  /** Queues the status line and headers; they leave with the first flush. */
  queueHeader(status: number, statusLine: string, headers: WireHeader[]): void {
    this.status = status;
    this.statusLine = statusLine;
    this.headers = headers;
    this.isChunked = headers.some(
      (h) => h.name.toLowerCase() === "transfer-encoding",
    );
    this.hasQueuedHeader = true;
  }

  /**
   * Queues body bytes. `flush` or `last` pushes everything buffered so far
   * to the client; `last` also ends the response.
   */
  write(data: Uint8Array, flags: { flush?: boolean; last?: boolean }): void {
    if (this.state !== "open") return;
    if (data.length > 0) {
      this.pending.push(data);
      this.pendingBytes += data.length;
      this.bodyBytesSent += this.isChunked
        ? data.length + data.length.toString(16).length + 4
        : data.length;
    }
    if (flags.last && this.isChunked) this.bodyBytesSent += 5;
    if (flags.flush || flags.last || this.pendingBytes >= POSTPONE_OUTPUT) {
      this.flushPending(flags.last === true);
    }
    if (flags.last) this.state = "complete";
  }

  /** Closes the connection; whatever is still buffered is lost. */
  close(): void {
    if (this.state === "open") this.state = "closed";
    this.pending = [];
    this.pendingBytes = 0;
  }

  /**
   * Called with the body pieces (one per write, framing not added) that
   * leave at a flush; the first flush also carries the header. A cosocket
   * connection's wire streams them to its client.
   */
  protected onFlush(_pieces: Uint8Array[], _isLast: boolean): void {}

  private flushPending(isLast: boolean): void {
    if (this.hasQueuedHeader) this.hasSentHeader = true;
    this.onFlush(this.pending, isLast);
    this.received.push(...this.pending);
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The body bytes the client has received so far. */
  receivedBody(): Uint8Array {
    const total = this.received.reduce((n, b) => n + b.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const b of this.received) {
      out.set(b, offset);
      offset += b.length;
    }
    return out;
  }

  /** Describes the connection the way the oracle records a curl result. */
  toRecord(
    requestIndex: number,
    pid: number | null,
    isHead: boolean,
    timeoutMs: number,
  ): ResponseRecord {
    const base = { requestIndex, connection: this.connection, pid };
    if (!this.hasSentHeader) {
      if (this.state === "open") {
        return {
          ...base,
          ...emptyResponse(),
          timed_out: true,
          curl_exit: 28,
          curl_error:
            `Operation timed out after ${timeoutMs} milliseconds with 0 bytes received`,
        };
      }
      return {
        ...base,
        ...emptyResponse(),
        empty_reply: true,
        curl_exit: 52,
        curl_error: "Empty reply from server",
      };
    }
    const body = isHead ? new Uint8Array(0) : this.receivedBody();
    const record: ResponseRecord = {
      ...base,
      status: this.status,
      status_line: this.statusLine,
      headers: headerRecord(this.headers),
      rawHeaders: this.headers.map((h) => ({ ...h })),
      body: decodeBody(body),
      empty_reply: false,
      timed_out: false,
    };
    if (this.state === "closed") {
      record.curl_exit = 18;
      record.curl_error = "transfer closed with outstanding read data remaining";
    } else if (this.state === "open") {
      record.timed_out = true;
      record.curl_exit = 28;
      record.curl_error = `Operation timed out after ${timeoutMs} milliseconds with ${body.length} bytes received`;
    }
    return record;
  }
}

function emptyResponse() {
  return {
    status: null,
    status_line: null,
    headers: {},
    body: "",
    empty_reply: false,
    timed_out: false,
  };
}

/** Drops the headers the oracle drops and lower-cases names. */
function headerRecord(headers: WireHeader[]): Record<string, string | string[]> {
  const dropped = new Set(["date", "server", "last-modified", "etag"]);
  const out: Record<string, string | string[]> = {};
  for (const { name, value } of headers) {
    const key = name.toLowerCase();
    if (dropped.has(key)) continue;
    const prior = out[key];
    if (prior === undefined) out[key] = value;
    else if (Array.isArray(prior)) prior.push(value);
    else out[key] = [prior, value];
  }
  return out;
}

function decodeBody(body: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return new TextDecoder("latin1").decode(body);
  }
}

/** Encodes a JavaScript string as UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
