import { describe, expect, it } from "vitest";
import { ByteQueue, Cosocket, takePartial, tryRead, type ReadAttempt } from "./cosocket";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function queue(content: string): ByteQueue {
  const q = new ByteQueue();
  q.push(new TextEncoder().encode(content));
  return q;
}

function dataOf(attempt: ReadAttempt): string {
  if (attempt.kind !== "data") throw new Error(`expected data, got ${attempt.kind}`);
  return text(attempt.data);
}

function partialOf(attempt: ReadAttempt): string {
  if (attempt.kind !== "closed") throw new Error(`expected closed, got ${attempt.kind}`);
  return text(attempt.partial);
}

const until = (pattern: string, size: number | null, isInclusive = false) => ({
  kind: "until" as const,
  pattern: new TextEncoder().encode(pattern),
  isInclusive,
  size,
});

describe("cosocket read patterns", () => {
  it("*l strips CRLF, bare LF and every CR", () => {
    const q = queue("a\r\nb\nc\rd\n");
    expect(dataOf(tryRead(q, false, { kind: "line" }))).toBe("a");
    expect(dataOf(tryRead(q, false, { kind: "line" }))).toBe("b");
    expect(dataOf(tryRead(q, false, { kind: "line" }))).toBe("cd");
    expect(q.length).toBe(0);
  });

  it("*l waits for a newline, then reports closed with the partial line", () => {
    const q = queue("no newline\r");
    expect(tryRead(q, false, { kind: "line" }).kind).toBe("wait");
    expect(partialOf(tryRead(q, true, { kind: "line" }))).toBe("no newline");
  });

  it("*a waits for the end of the stream and returns everything", () => {
    const q = queue("body");
    expect(tryRead(q, false, { kind: "all" }).kind).toBe("wait");
    expect(dataOf(tryRead(q, true, { kind: "all" }))).toBe("body");
    expect(dataOf(tryRead(q, true, { kind: "all" }))).toBe("");
  });

  it("a byte count reads exactly that many or closes with the rest", () => {
    const q = queue("abcdefgh");
    expect(dataOf(tryRead(q, false, { kind: "bytes", count: 3 }))).toBe("abc");
    expect(tryRead(q, false, { kind: "bytes", count: 10 }).kind).toBe("wait");
    expect(partialOf(tryRead(q, true, { kind: "bytes", count: 10 }))).toBe("defgh");
  });

  it("receiveany returns what is buffered, up to the maximum", () => {
    const q = queue("abcdef");
    expect(dataOf(tryRead(q, false, { kind: "any", max: 4 }))).toBe("abcd");
    expect(dataOf(tryRead(q, false, { kind: "any", max: 4 }))).toBe("ef");
    expect(tryRead(q, false, { kind: "any", max: 4 }).kind).toBe("wait");
  });

  it("receiveuntil returns the data before the pattern and drops it", () => {
    const q = queue("head--sep--tail");
    expect(dataOf(tryRead(q, false, until("--sep--", null)))).toBe("head");
    expect(tryRead(q, false, until("--sep--", null)).kind).toBe("wait");
    expect(partialOf(tryRead(q, true, until("--sep--", null)))).toBe("tail");
  });

  it("receiveuntil with inclusive keeps the pattern", () => {
    const q = queue("head\r\nrest");
    expect(dataOf(tryRead(q, false, until("\r\n", null, true)))).toBe("head\r\n");
  });

  it("receiveuntil with a size returns pieces, then a boundary", () => {
    const q = queue("abcdefg|x");
    const pattern = until("|", 3);
    expect(dataOf(tryRead(q, false, pattern))).toBe("abc");
    expect(dataOf(tryRead(q, false, pattern))).toBe("def");
    expect(dataOf(tryRead(q, false, pattern))).toBe("g");
    expect(tryRead(q, false, pattern).kind).toBe("boundary");
    expect(text(q.peek())).toBe("x");
  });

  it("receiveuntil with a size holds back a possible pattern start", () => {
    const q = queue("abcd-");
    const pattern = until("-=-", 4);
    expect(dataOf(tryRead(q, false, pattern))).toBe("abcd");
    expect(tryRead(q, false, pattern).kind).toBe("wait");
    q.push(new TextEncoder().encode("=-z"));
    expect(tryRead(q, false, pattern).kind).toBe("boundary");
  });

  it("a timed-out read hands over the buffered bytes", () => {
    const q = queue("par\rtial");
    expect(text(takePartial(q, { kind: "line" }))).toBe("partial");
    expect(q.length).toBe(0);
  });
});

describe("cosocket state", () => {
  it("prints 16-digit upper-case addresses, c:0 when not connected", () => {
    const socket = new Cosocket(3);
    expect(socket.addressText()).toMatch(/^u:[0-9A-F]{16}, c:0{16}$/);
    expect(socket.isClosed).toBe(true);
  });
});
