/**
 * The list operations of a shared dict (lpush, rpush, lpop, rpop, llen),
 * following ngx_http_lua_shdict_push_helper, pop_helper and llen of
 * lua-nginx-module 0.10.28. Lists never evict other entries: a push that
 * finds no memory fails. The caller holds the zone's mutex.
 */
import { type DictValue, decodeValue, encodeValue, valueTypeOf } from "./dictValue";
import { type DictZone, Found, NODE_OVERHEAD, ValueType } from "./dictZone";

/**
 * The results of a push: the new length, or a failure whose first result
 * is false (no memory for the list itself) or nil (all other failures).
 */
export type PushResult =
  | { length: number; err: null }
  | { length: false | null; err: string };

/** The results of a pop: the value (null when missing) or an error. */
export interface PopResult {
  value: DictValue | null;
  err: string | null;
}

const LIST_HEAD_SIZE = 16;

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Finds the list node for a push, creating it when there is none. */
function openList(zone: DictZone, key: Uint8Array, now: number): number | PushResult {
  const { found, node } = zone.lookup(key, now);
  if (found === Found.Live) {
    if (zone.valueType(node) !== ValueType.List) {
      return { length: null, err: "value not a list" };
    }
    return node;
  }
  if (found === Found.Expired) {
    if (zone.valueType(node) === ValueType.List) {
      // nginx reuses an expired list: it empties it and keeps the node.
      zone.setExpires(node, 0);
      zone.setValueLength(node, 0);
      zone.freeListItems(node);
      zone.touch(node);
      return node;
    }
    zone.remove(node);
  }
  const bytes = align8(NODE_OVERHEAD + key.length + LIST_HEAD_SIZE);
  const created = zone.insert(key, 0, bytes);
  if (created === 0) return { length: false, err: "no memory" };
  zone.setValueType(created, ValueType.List);
  zone.setValueLength(created, 0);
  zone.clearList(created);
  return created;
}

/** lpush (isLeft) or rpush of a string or number value. */
export function pushValue(
  zone: DictZone,
  key: Uint8Array,
  value: DictValue,
  isLeft: boolean,
  now: number,
): PushResult {
  zone.expire(now, false);
  const node = openList(zone, key, now);
  if (typeof node !== "number") return node;
  const item = zone.pushItem(node, valueTypeOf(value), encodeValue(value), isLeft);
  if (item === 0) {
    // An empty list created for this push goes away again.
    if (zone.valueLength(node) === 0) zone.remove(node);
    return { length: null, err: "no memory" };
  }
  const length = zone.valueLength(node) + 1;
  zone.setValueLength(node, length);
  return { length, err: null };
}

/** lpop (isLeft) or rpop. */
export function popValue(
  zone: DictZone,
  key: Uint8Array,
  isLeft: boolean,
  now: number,
): PopResult {
  zone.expire(now, false);
  const { found, node } = zone.lookup(key, now);
  if (found !== Found.Live) return { value: null, err: null };
  if (zone.valueType(node) !== ValueType.List) {
    return { value: null, err: "value not a list" };
  }
  const item = zone.listEnd(node, isLeft);
  const taken = zone.takeItem(node, item);
  const length = zone.valueLength(node);
  if (length <= 1) {
    zone.remove(node);
  } else {
    zone.setValueLength(node, length - 1);
    zone.touch(node);
  }
  return { value: decodeValue(taken.type, taken.bytes), err: null };
}

/** llen: the length, 0 for a missing or expired key. */
export function listLength(
  zone: DictZone,
  key: Uint8Array,
  now: number,
): { length: number | null; err: string | null } {
  zone.expire(now, false);
  const { found, node } = zone.lookup(key, now);
  if (found !== Found.Live) return { length: 0, err: null };
  if (zone.valueType(node) !== ValueType.List) {
    return { length: null, err: "value not a list" };
  }
  return { length: zone.valueLength(node), err: null };
}
