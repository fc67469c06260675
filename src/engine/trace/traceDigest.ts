/**
 * A short fingerprint of a trace, so two runs (in Node and in the page,
 * or one run and its replay from a permalink) can be checked to be
 * byte-identical without shipping the whole trace around.
 */

/** Returns the FNV-1a hash (32 bits, 8 hex digits) of the trace's JSON text. */
export function traceDigest(trace: readonly unknown[]): string {
  let hash = 0x811c9dc5;
  for (const event of trace) {
    const text = JSON.stringify(event);
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, "0");
}
