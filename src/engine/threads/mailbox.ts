/**
 * A blocking channel from a process thread to the master, through a
 * SharedArrayBuffer. The master of a lockstep run waits on it with
 * Atomics.wait, so each call to a process returns like a function call,
 * in order. A message of any size fits: the text goes in chunks, and the
 * sender waits for each chunk to be taken.
 */

const STATE = 0;
const LENGTH = 1;
const IS_LAST = 2;
const HEADER_BYTES = 16;
/** Bytes of text one chunk carries. */
const CHUNK_BYTES = 1 << 20;

const EMPTY = 0;
const FULL = 1;

/** Makes the shared buffer of one mailbox. */
export function createMailbox(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + CHUNK_BYTES);
}

function views(buffer: SharedArrayBuffer): { header: Int32Array; data: Uint8Array } {
  return { header: new Int32Array(buffer, 0, 4), data: new Uint8Array(buffer, HEADER_BYTES) };
}

/** Sends `value` as JSON; returns once the master has taken all of it. */
export function sendToMailbox(buffer: SharedArrayBuffer, value: unknown): void {
  const { header, data } = views(buffer);
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let offset = 0;
  do {
    Atomics.wait(header, STATE, FULL);
    const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
    data.set(chunk);
    offset += chunk.length;
    header[LENGTH] = chunk.length;
    header[IS_LAST] = offset >= bytes.length ? 1 : 0;
    Atomics.store(header, STATE, FULL);
    Atomics.notify(header, STATE);
  } while (offset < bytes.length);
}

/**
 * Waits for the next value in the mailbox and returns it. Throws when
 * nothing arrives within `timeoutMs`, so a stuck thread cannot hang the
 * master for ever.
 */
export function receiveFromMailbox(buffer: SharedArrayBuffer, timeoutMs: number): unknown {
  const { header, data } = views(buffer);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    if (Atomics.wait(header, STATE, EMPTY, timeoutMs) === "timed-out") {
      throw new Error(`a process thread sent no reply within ${timeoutMs} ms`);
    }
    const length = header[LENGTH];
    parts.push(data.slice(0, length));
    total += length;
    const isLast = header[IS_LAST] === 1;
    Atomics.store(header, STATE, EMPTY);
    Atomics.notify(header, STATE);
    if (isLast) break;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}
