/**
 * Values a shared dict stores, and their bytes inside a node: a number is
 * an 8-byte little-endian double and a boolean one byte, as
 * lua-nginx-module stores them on x86_64.
 */
import { ValueType } from "./dictZone";

export type DictValue =
  | { type: "string"; bytes: Uint8Array }
  | { type: "number"; value: number }
  | { type: "boolean"; value: boolean };

/** A key as the API accepts it; strings are encoded as UTF-8. */
export type DictKey = string | Uint8Array;

const encoder = new TextEncoder();

export function keyBytes(key: DictKey): Uint8Array {
  return typeof key === "string" ? encoder.encode(key) : key;
}

export function valueTypeOf(value: DictValue): ValueType {
  if (value.type === "string") return ValueType.String;
  if (value.type === "number") return ValueType.Number;
  return ValueType.Boolean;
}

export function encodeValue(value: DictValue): Uint8Array {
  if (value.type === "string") return value.bytes;
  if (value.type === "boolean") return Uint8Array.of(value.value ? 1 : 0);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value.value, true);
  return bytes;
}

/** Decodes stored bytes; lists and nil have no DictValue and give null. */
export function decodeValue(type: ValueType, bytes: Uint8Array): DictValue | null {
  switch (type) {
    case ValueType.String:
      return { type: "string", bytes };
    case ValueType.Number:
      return {
        type: "number",
        value: new DataView(bytes.buffer, bytes.byteOffset).getFloat64(0, true),
      };
    case ValueType.Boolean:
      return { type: "boolean", value: bytes[0] !== 0 };
    default:
      return null;
  }
}
