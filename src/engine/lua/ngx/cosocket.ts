/**
 * The state of one ngx.socket.tcp object and the read patterns of its
 * receive methods, apart from the Lua bindings. Semantics follow
 * lua-nginx-module 0.10's ngx_http_lua_socket_tcp.c: "*l" drops every CR,
 * an error returns the bytes read so far as the partial result, and a
 * read that hits the end of the stream closes the reading side only.
 */

/** The client end of a TCP connection to a server block of this nginx. */
export interface LoopbackStream {
  /** Bytes the server sent that the client has not read yet. */
  readonly inbox: ByteQueue;
  /** True once the server closed its end: no more bytes will arrive. */
  readonly isEof: boolean;
  /** Called with the virtual ms when bytes arrive or the server closes. */
  onReadable: ((at: number) => void) | null;
  /** Sends bytes to the server at virtual time `at` (ms). */
  send(bytes: Uint8Array, at: number): void;
  /** Closes the client end at virtual time `at` (ms). */
  close(at: number): void;
}

/** The network through which cosockets reach this nginx's server blocks. */
export interface SocketNetwork {
  /**
   * Opens a connection to `address:port` at virtual time `at`; null when
   * nothing listens there (the kernel's ECONNREFUSED).
   */
  connect(address: string, port: number, at: number): LoopbackStream | null;
  /** Runs `run` at virtual time `due` (ms), as an event loop timer. */
  at(due: number, label: string, run: () => void): void;
}

/** A byte buffer that grows at the end and is consumed from the front. */
export class ByteQueue {
  private bytes = new Uint8Array(0);

  get length(): number {
    return this.bytes.length;
  }

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    const next = new Uint8Array(this.bytes.length + data.length);
    next.set(this.bytes);
    next.set(data, this.bytes.length);
    this.bytes = next;
  }

  /** The first `count` bytes, without consuming them. */
  peek(count = this.bytes.length): Uint8Array {
    return this.bytes.subarray(0, count);
  }

  /** Removes and returns the first `count` bytes. */
  take(count = this.bytes.length): Uint8Array {
    const out = this.bytes.slice(0, count);
    this.bytes = this.bytes.slice(count);
    return out;
  }

  /** The position of `needle`, or -1. */
  indexOf(needle: Uint8Array): number {
    const last = this.bytes.length - needle.length;
    for (let i = 0; i <= last; i++) {
      let j = 0;
      while (j < needle.length && this.bytes[i + j] === needle[j]) j++;
      if (j === needle.length) return i;
    }
    return -1;
  }
}

/** What a receive call reads. */
export type ReadPattern =
  | { kind: "line" }
  | { kind: "all" }
  | { kind: "bytes"; count: number }
  | { kind: "any"; max: number }
  | { kind: "until"; pattern: Uint8Array; isInclusive: boolean; size: number | null };

/** The outcome of one attempt to satisfy a read from the buffer. */
export type ReadAttempt =
  | { kind: "data"; data: Uint8Array }
  /** receiveuntil with a size reached its pattern: the reader returns nil. */
  | { kind: "boundary" }
  | { kind: "closed"; partial: Uint8Array }
  | { kind: "wait" };

const LF = 10;
const CR = 13;

function withoutCr(bytes: Uint8Array): Uint8Array {
  return bytes.filter((b) => b !== CR);
}

/**
 * Tries to read `pattern` from `inbox`, consuming what it returns. With
 * the stream at its end (`isEof`), an unmet pattern gives "closed" and
 * everything left as the partial result ("*a" succeeds instead).
 */
export function tryRead(
  inbox: ByteQueue,
  isEof: boolean,
  pattern: ReadPattern,
): ReadAttempt {
  switch (pattern.kind) {
    case "line": {
      const end = inbox.indexOf(Uint8Array.of(LF));
      if (end >= 0) {
        const line = inbox.take(end + 1).subarray(0, end);
        return { kind: "data", data: withoutCr(line) };
      }
      break;
    }
    case "all":
      if (isEof) return { kind: "data", data: inbox.take() };
      return { kind: "wait" };
    case "bytes":
      if (inbox.length >= pattern.count) {
        return { kind: "data", data: inbox.take(pattern.count) };
      }
      break;
    case "any":
      if (inbox.length > 0) {
        return { kind: "data", data: inbox.take(Math.min(pattern.max, inbox.length)) };
      }
      break;
    case "until":
      return readUntil(inbox, isEof, pattern);
  }
  if (!isEof) return { kind: "wait" };
  const partial = inbox.take();
  return { kind: "closed", partial: pattern.kind === "line" ? withoutCr(partial) : partial };
}

/**
 * The bytes a read that timed out returns as its partial result; they are
 * consumed, as lua-nginx-module hands its buffered input to Lua.
 */
export function takePartial(inbox: ByteQueue, pattern: ReadPattern): Uint8Array {
  const partial = inbox.take();
  return pattern.kind === "line" ? withoutCr(partial) : partial;
}

/** Length of the longest end of `inbox` that starts `pattern`. */
function pendingPrefix(inbox: ByteQueue, pattern: Uint8Array): number {
  const data = inbox.peek();
  const longest = Math.min(pattern.length - 1, data.length);
  for (let n = longest; n > 0; n--) {
    let isPrefix = true;
    for (let i = 0; i < n && isPrefix; i++) {
      isPrefix = data[data.length - n + i] === pattern[i];
    }
    if (isPrefix) return n;
  }
  return 0;
}

function readUntil(
  inbox: ByteQueue,
  isEof: boolean,
  p: Extract<ReadPattern, { kind: "until" }>,
): ReadAttempt {
  const at = inbox.indexOf(p.pattern);
  if (p.size === null) {
    if (at < 0) {
      if (!isEof) return { kind: "wait" };
      return { kind: "closed", partial: inbox.take() };
    }
    const data = inbox.take(at + p.pattern.length);
    return { kind: "data", data: p.isInclusive ? data : data.subarray(0, at) };
  }
  if (at === 0) {
    const boundary = inbox.take(p.pattern.length);
    return p.isInclusive ? { kind: "data", data: boundary } : { kind: "boundary" };
  }
  // Bytes that cannot belong to the pattern may go out in pieces of `size`.
  const safe = at > 0 ? at : inbox.length - pendingPrefix(inbox, p.pattern);
  if (safe >= p.size || (at > 0 && safe > 0)) {
    return { kind: "data", data: inbox.take(Math.min(safe, p.size)) };
  }
  if (!isEof) return { kind: "wait" };
  return { kind: "closed", partial: inbox.take() };
}

// NOTE: the lua_socket_* directives are parsed but not applied, so these
// defaults of lua-nginx-module always hold.
/** Default timeouts (ms) of lua_socket_connect/send/read_timeout. */
export const DEFAULT_SOCKET_TIMEOUT_MS = 60_000;
/** lua_socket_keepalive_timeout's default (ms). */
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 60_000;
/** lua_socket_pool_size's default: idle connections per pool. */
export const DEFAULT_POOL_SIZE = 30;

/** One ngx.socket.tcp object: its connection and its settings. */
export class Cosocket {
  /** The connection; null before connect and once closed or pooled. */
  stream: LoopbackStream | null = null;
  /** The request (or timer run) that connected it. */
  owner: object | null = null;
  /** The connection pool's key: `host:port` or connect's `pool` option. */
  poolKey = "";
  isReadClosed = false;
  isWriteClosed = false;
  /** True once a read met the end of the stream (nginx's u->eof). */
  isEof = false;
  /** True while a receive call waits for data. */
  isReading = false;
  /** True while connect waits for the connection. */
  isConnecting = false;
  connectTimeoutMs: number | null = null;
  sendTimeoutMs: number | null = null;
  readTimeoutMs: number | null = null;
  /** How often the connection came from the pool (getreusedtimes). */
  reusedTimes = 0;

  constructor(
    /** Numbers the fake addresses in log lines. */
    readonly id: number,
  ) {}

  /** True when there is no connection or both its sides are closed. */
  get isClosed(): boolean {
    return this.stream === null || (this.isReadClosed && this.isWriteClosed);
  }

  /** Attaches a new or pooled connection, forgetting the last one's state. */
  attach(stream: LoopbackStream, owner: object, reusedTimes: number): void {
    this.stream = stream;
    this.owner = owner;
    this.isReadClosed = false;
    this.isWriteClosed = false;
    this.isEof = false;
    this.reusedTimes = reusedTimes;
  }

  /** Closes the connection (nginx's ngx_http_lua_socket_tcp_finalize). */
  finalize(at: number): void {
    if (this.stream) {
      this.stream.onReadable = null;
      this.stream.close(at);
    }
    this.stream = null;
    this.isReading = false;
    this.isConnecting = false;
  }

  /**
   * The `u:%p, c:%p` part of nginx's closed-socket messages, with made-up
   * but stable addresses (nginx prints 16 upper-case hex digits).
   */
  addressText(): string {
    const pointer = (base: number) =>
      (base + this.id * 0x200).toString(16).toUpperCase().padStart(16, "0");
    const connection = this.stream ? pointer(0x55d0_0000_0000) : "0".repeat(16);
    return `u:${pointer(0x55c0_0000_0000)}, c:${connection}`;
  }
}
