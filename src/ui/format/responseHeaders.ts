/**
 * The header lines a response card shows. The engine's `rawHeaders`
 * keeps nginx's original case and order, including Server and Date. A
 * ResponseRecord without it (from older results) uses the lower-cased
 * `headers` map instead.
 */
import type { ResponseRecord } from "../../engine/scenario";

/** A header as sent on the wire. */
export interface RawHeader {
  name: string;
  value: string;
}

/** A response that may carry headers in wire order and case. */
export type ResponseWithRawHeaders = ResponseRecord & {
  rawHeaders?: readonly RawHeader[];
};

/** Returns `Name: value` lines, from rawHeaders when present. */
export function responseHeaderLines(response: ResponseWithRawHeaders): string[] {
  if (response.rawHeaders) {
    return response.rawHeaders.map((header) => `${header.name}: ${header.value}`);
  }
  return Object.entries(response.headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((one) => `${name}: ${one}`),
  );
}
