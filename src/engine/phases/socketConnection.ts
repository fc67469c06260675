/**
 * The server end of a cosocket's connection to this nginx's own server
 * blocks. Bytes the cosocket sends are parsed as HTTP/1.0 or HTTP/1.1
 * requests and served by a worker (the master's balance policy picks it
 * at connect time) through the normal pipeline. The response goes back as
 * the bytes nginx would write: status line, headers, then the body with
 * chunked framing or a Content-Length, streamed at each flush.
 */
import type { HttpConfig, Server } from "../config/types";
import { utf8, Wire } from "../http/wire";
import type { Scheduler } from "../loop/scheduler";
import {
  ByteQueue,
  type LoopbackStream,
  type SocketNetwork,
} from "../lua/ngx/cosocket";
import { concatBytes } from "../lua/ngx/outputArgs";
import type { Worker } from "../process/worker";
import { HttpRequest } from "./httpRequest";

/** What the network needs from the simulated nginx. */
export interface LoopbackHost {
  readonly http: HttpConfig | null;
  readonly scheduler: Scheduler;
  /** The worker that accepts a new connection, or null if none can. */
  pickWorker(): Worker | null;
  /** A connection number (`*N` in log lines) not used before. */
  nextConnection(): number;
}

/** Addresses that reach this host: 127.0.0.0/8 and 0.0.0.0. */
function isLocalAddress(address: string): boolean {
  return address.startsWith("127.") || address === "0.0.0.0";
}

/** The server blocks that listen on `address:port`. */
export function listeningServers(
  http: HttpConfig | null,
  address: string,
  port: number,
): Server[] {
  if (!http || !isLocalAddress(address)) return [];
  return http.servers.filter((server) =>
    server.listen.some(
      (l) =>
        l.port === port &&
        (l.address === address || l.address === "0.0.0.0" || l.address === "*"),
    ),
  );
}

/** Picks the server block by Host header, else the default server. */
function pickServer(servers: Server[], port: number, host: string | undefined): Server {
  const name = host?.replace(/:\d+$/, "").toLowerCase();
  const named = servers.find((s) => s.serverNames.some((n) => n.toLowerCase() === name));
  if (named) return named;
  const isDefault = (s: Server) => s.listen.some((l) => l.port === port && l.isDefaultServer);
  return servers.find(isDefault) ?? servers[0];
}

/** The loopback network that cosockets connect through. */
export class LoopbackNetwork implements SocketNetwork {
  constructor(private readonly host: LoopbackHost) {}

  connect(address: string, port: number): LoopbackStream | null {
    const servers = listeningServers(this.host.http, address, port);
    if (servers.length === 0) return null;
    const worker = this.host.pickWorker();
    if (!worker) return null;
    return new ServerConnection(servers, port, worker, this.host.nextConnection());
  }

  at(due: number, label: string, run: () => void): void {
    const scheduler = this.host.scheduler;
    scheduler.at(Math.max(due, scheduler.now), label, run);
  }
}

/** One request as the bytes on the connection spell it. */
interface ParsedRequest {
  method: string;
  target: string;
  /** [major, minor]; null when the request line is malformed. */
  version: [number, number] | null;
  headers: Array<[string, string]>;
  body: string | null;
}

const HEADER_END = utf8("\r\n\r\n");
const HEADER_END_LF = utf8("\n\n");

/** Takes one complete request off `input`; null until it is complete. */
export function parseRequest(input: ByteQueue): ParsedRequest | null {
  const crlf = input.indexOf(HEADER_END);
  const lf = input.indexOf(HEADER_END_LF);
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
  if (end < 0) return null;
  const head = new TextDecoder("latin1").decode(input.peek(end));
  const [requestLine, ...lines] = head.replace(/\r/g, "").split("\n").filter((l) => l !== "");
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const length = Number(headers.find(([n]) => n.toLowerCase() === "content-length")?.[1] ?? 0);
  const bodyLength = Number.isFinite(length) && length > 0 ? length : 0;
  if (input.length < end + bodyLength) return null;
  input.take(end);
  const body = bodyLength > 0 ? new TextDecoder().decode(input.take(bodyLength)) : null;
  const m = /^(\S+) (\S+) HTTP\/(\d)\.(\d)$/.exec(requestLine ?? "");
  if (!m) return { method: "GET", target: "", version: null, headers, body };
  return {
    method: m[1],
    target: m[2],
    version: [Number(m[3]), Number(m[4])],
    headers,
    body,
  };
}

/** The events a response's wire reports to its connection. */
interface WireSink {
  deliver(bytes: Uint8Array, at: number): void;
  responseEnded(isKeepAlive: boolean, at: number): void;
  aborted(at: number): void;
}

/** A Wire that streams the response's bytes to a cosocket. */
class SocketWire extends Wire {
  private hasSentHead = false;

  constructor(
    connection: number,
    private readonly clock: () => number,
    private readonly sink: WireSink,
  ) {
    super(connection);
  }

  protected override onFlush(pieces: Uint8Array[], isLast: boolean): void {
    const out: Uint8Array[] = [];
    if (!this.hasSentHead && this.statusLine !== null) {
      const lines = this.headers.map((h) => `${h.name}: ${h.value}\r\n`).join("");
      out.push(utf8(`${this.statusLine}\r\n${lines}\r\n`));
      this.hasSentHead = true;
    }
    for (const piece of pieces) {
      if (piece.length === 0) continue;
      if (!this.isChunked) {
        out.push(piece);
        continue;
      }
      out.push(utf8(`${piece.length.toString(16)}\r\n`), piece, utf8("\r\n"));
    }
    if (isLast && this.isChunked) out.push(utf8("0\r\n\r\n"));
    const at = this.clock();
    this.sink.deliver(concatBytes(out), at);
    if (!isLast) return;
    const connection = this.headers.find((h) => h.name.toLowerCase() === "connection");
    this.sink.responseEnded(connection?.value === "keep-alive", at);
  }

  override close(): void {
    const wasOpen = this.state === "open";
    super.close();
    if (wasOpen) this.sink.aborted(this.clock());
  }
}

/** A connection accepted by a worker, seen from both of its ends. */
class ServerConnection implements LoopbackStream {
  readonly inbox = new ByteQueue();
  isEof = false;
  onReadable: ((at: number) => void) | null = null;
  /** Bytes from the cosocket that no request has taken yet. */
  private readonly input = new ByteQueue();
  private isServing = false;
  private isClientClosed = false;

  constructor(
    private readonly servers: Server[],
    private readonly port: number,
    private readonly worker: Worker,
    private readonly connection: number,
  ) {}

  send(bytes: Uint8Array, at: number): void {
    if (this.isEof || this.isClientClosed) return;
    this.input.push(bytes);
    this.serveNext(at);
  }

  close(): void {
    // A response still being produced goes nowhere, as after a reset.
    this.isClientClosed = true;
  }

  private readonly sink: WireSink = {
    deliver: (bytes, at) => {
      if (this.isClientClosed || bytes.length === 0) return;
      this.inbox.push(bytes);
      this.onReadable?.(at);
    },
    responseEnded: (isKeepAlive, at) => {
      this.isServing = false;
      if (isKeepAlive) this.serveNext(at);
      else this.end(at);
    },
    aborted: (at) => this.end(at),
  };

  private end(at: number): void {
    if (this.isEof) return;
    this.isEof = true;
    this.isServing = false;
    this.onReadable?.(at);
  }

  private serveNext(at: number): void {
    if (this.isServing || this.isEof || this.worker.isDead) return;
    const parsed = parseRequest(this.input);
    if (!parsed) return;
    this.isServing = true;
    const host = parsed.headers.find(([n]) => n.toLowerCase() === "host")?.[1];
    const server = pickServer(this.servers, this.port, host);
    const wire = new SocketWire(this.connection, () => this.worker.process.clock, this.sink);
    const r = new HttpRequest(
      this.connection,
      -1,
      parsed.method,
      parsed.target,
      parsed.headers,
      parsed.body,
      server,
      wire,
      at,
    );
    const [major, minor] = parsed.version ?? [1, 0];
    const connection = parsed.headers
      .find(([n]) => n.toLowerCase() === "connection")?.[1]
      .toLowerCase();
    r.isHttp10 = major === 1 && minor === 0;
    r.closeAfter = r.isHttp10 ? connection !== "keep-alive" : connection === "close";
    this.worker.accept(r, at);
  }
}
