/**
 * The entries of one lua_shared_dict inside its SharedArrayBuffer: node
 * layout, the key index, the LRU queue and nginx's expiry sweep. Every
 * method assumes the caller holds the zone's mutex.
 *
 * Buffer layout: a 64-byte control block (lock word, magic, size, bucket
 * count), then the nginx zone of exactly SIZE bytes managed by SlabPool,
 * then the key index's bucket array. nginx indexes keys with a red-black
 * tree inside the nodes. Here a hash chain does that job, and its buckets
 * live outside the zone, so the zone's accounting stays nginx's.
 *
 * A node takes what lua-nginx-module 0.10.28 allocates for it:
 * offsetof(ngx_rbtree_node_t, color) = 32 plus
 * offsetof(ngx_http_lua_shdict_node_t, data) = 36, then the key and the
 * value (8 bytes for a number, 1 for a boolean). A list node takes
 * align8(68 + key + 16), and each list item 21 + value bytes
 * (offsetof(ngx_http_lua_shdict_list_node_t, data)).
 */
import { FIRST_USER_FIELD, SlabPool } from "./slabPool";

/** lua-nginx-module's value type codes (LUA_T* and SHDICT_TLIST). */
export const enum ValueType {
  Nil = 0,
  Boolean = 1,
  Number = 3,
  String = 4,
  List = 5,
}

export const CONTROL_SIZE = 64;
const C_LOCK = 0;
const C_MAGIC = 1;
const C_SIZE = 2;
const C_BUCKETS = 3;
const MAGIC = 0x5d1c7001;

/** Bytes nginx allocates for a node before its key. */
export const NODE_OVERHEAD = 68;
/** Bytes nginx allocates for a list item before its value. */
export const LIST_ITEM_OVERHEAD = 21;

const N_EXPIRES = 0;
const N_HASH = 8;
const N_CHAIN = 12;
const N_LRU_PREV = 16;
const N_LRU_NEXT = 20;
const N_FLAGS = 24;
const N_VALUE_LEN = 28;
const N_KEY_LEN = 32;
const N_TYPE = 34;
const N_DATA = 36;

const I_PREV = 0;
const I_NEXT = 4;
const I_LEN = 8;
const I_TYPE = 12;
const I_DATA = 13;

const H_LRU_HEAD = FIRST_USER_FIELD;
const H_LRU_TAIL = FIRST_USER_FIELD + 4;

/** Result of a keyed lookup, named after nginx's return codes. */
export const enum Found {
  /** NGX_OK: a live entry; it moved to the head of the LRU queue. */
  Live,
  /** NGX_DONE: the entry exists but has expired. */
  Expired,
  /** NGX_DECLINED: no entry. */
  Missing,
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Bytes a control block + zone + index take for a zone of `size`. */
function bufferLayout(size: number): { buckets: number; bytes: number } {
  let buckets = 16;
  while (buckets < size / 128) buckets *= 2;
  return { buckets, bytes: CONTROL_SIZE + align8(size) + buckets * 4 };
}

/**
 * The memory of a zone: a SharedArrayBuffer, or an ordinary ArrayBuffer
 * where the page is not cross-origin isolated and SharedArrayBuffer does
 * not exist (everything then runs in one thread, which the UI says).
 */
export type ZoneBuffer = SharedArrayBuffer | ArrayBuffer;

/** True when this JavaScript context has SharedArrayBuffer. */
export const hasSharedMemory = typeof SharedArrayBuffer !== "undefined";

function allocateZoneBuffer(bytes: number): ZoneBuffer {
  return hasSharedMemory ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

export class DictZone {
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly view: DataView;
  readonly pool: SlabPool;
  readonly size: number;
  private readonly bucketBase: number;
  private readonly bucketMask: number;

  private constructor(readonly buffer: ZoneBuffer) {
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer, 0, buffer.byteLength >> 2);
    this.view = new DataView(buffer);
    if (this.i32[C_MAGIC] !== MAGIC) {
      throw new Error("shared dict: buffer is not a lua_shared_dict zone (magic word missing)");
    }
    this.size = this.i32[C_SIZE];
    const buckets = this.i32[C_BUCKETS];
    this.bucketMask = buckets - 1;
    this.bucketBase = CONTROL_SIZE + align8(this.size);
    this.pool = new SlabPool(this.u8, CONTROL_SIZE, this.size);
  }

  /**
   * Creates and formats a zone of `size` bytes in a new shared buffer.
   * NOTE: the buffer is allocated at once, so `lua_shared_dict x 1g`
   * takes over 1 GiB of memory, while nginx's mmap is filled lazily.
   */
  static create(size: number): DictZone {
    const layout = bufferLayout(size);
    const buffer = allocateZoneBuffer(layout.bytes);
    const words = new Int32Array(buffer, 0, CONTROL_SIZE >> 2);
    words[C_MAGIC] = MAGIC;
    words[C_SIZE] = size;
    words[C_BUCKETS] = layout.buckets;
    const zone = new DictZone(buffer);
    zone.pool.init();
    zone.setWord(H_LRU_HEAD, 0);
    zone.setWord(H_LRU_TAIL, 0);
    return zone;
  }

  /** Attaches to a zone that another thread created. */
  static attach(buffer: ZoneBuffer): DictZone {
    return new DictZone(buffer);
  }

  /** Index of the mutex word in `i32`. */
  get lockIndex(): number {
    return C_LOCK;
  }

  // ---- node fields -------------------------------------------------------

  expires(node: number): number {
    return this.view.getFloat64(CONTROL_SIZE + node + N_EXPIRES, true);
  }

  setExpires(node: number, ms: number): void {
    this.view.setFloat64(CONTROL_SIZE + node + N_EXPIRES, ms, true);
  }

  flags(node: number): number {
    return this.word(node + N_FLAGS);
  }

  setFlags(node: number, flags: number): void {
    this.setWord(node + N_FLAGS, flags);
  }

  /** Value bytes, or the item count of a list. */
  valueLength(node: number): number {
    return this.word(node + N_VALUE_LEN);
  }

  setValueLength(node: number, length: number): void {
    this.setWord(node + N_VALUE_LEN, length);
  }

  keyLength(node: number): number {
    return this.view.getUint16(CONTROL_SIZE + node + N_KEY_LEN, true);
  }

  valueType(node: number): ValueType {
    return this.u8[CONTROL_SIZE + node + N_TYPE];
  }

  setValueType(node: number, type: ValueType): void {
    this.u8[CONTROL_SIZE + node + N_TYPE] = type;
  }

  key(node: number): Uint8Array {
    const at = CONTROL_SIZE + node + N_DATA;
    return this.u8.slice(at, at + this.keyLength(node));
  }

  /** Byte offset in the buffer of the node's value. */
  valueAt(node: number): number {
    return CONTROL_SIZE + node + N_DATA + this.keyLength(node);
  }

  // ---- index and LRU -----------------------------------------------------

  /** Finds a node whatever its expiry (ngx_http_lua_shdict_peek). */
  peek(key: Uint8Array): number {
    const hash = hashKey(key);
    let node = this.word(this.bucket(hash));
    while (node !== 0) {
      if (this.word(node + N_HASH) === hash && this.hasKey(node, key)) {
        return node;
      }
      node = this.word(node + N_CHAIN);
    }
    return 0;
  }

  /**
   * Finds a node as ngx_http_lua_shdict_lookup does: a live node moves to
   * the head of the LRU queue, an expired one stays where it is.
   */
  lookup(key: Uint8Array, now: number): { found: Found; node: number } {
    const node = this.peek(key);
    if (node === 0) return { found: Found.Missing, node };
    const expires = this.expires(node);
    if (expires !== 0 && expires - now <= 0) {
      return { found: Found.Expired, node };
    }
    this.touch(node);
    return { found: Found.Live, node };
  }

  /**
   * Allocates a node for `key` with room for `valueBytes`, links it at the
   * head of the LRU queue and indexes it. Returns 0 when the slab pool has
   * no room; `allocation` overrides the byte count (list nodes).
   */
  insert(key: Uint8Array, valueBytes: number, allocation?: number): number {
    const bytes = allocation ?? NODE_OVERHEAD + key.length + valueBytes;
    const node = this.pool.alloc(bytes);
    if (node === 0) return 0;
    const hash = hashKey(key);
    this.u8.fill(0, CONTROL_SIZE + node, CONTROL_SIZE + node + N_DATA);
    this.view.setUint16(CONTROL_SIZE + node + N_KEY_LEN, key.length, true);
    this.u8.set(key, CONTROL_SIZE + node + N_DATA);
    this.setWord(node + N_HASH, hash);
    const bucket = this.bucket(hash);
    this.setWord(node + N_CHAIN, this.word(bucket));
    this.setWord(bucket, node);
    this.linkHead(node);
    return node;
  }

  /** Unlinks and frees a node and, for a list, all its items. */
  remove(node: number): void {
    if (this.valueType(node) === ValueType.List) this.freeListItems(node);
    this.unlinkLru(node);
    const bucket = this.bucket(this.word(node + N_HASH));
    let at = bucket;
    while (this.word(at) !== node) at = this.word(at) + N_CHAIN;
    this.setWord(at, this.word(node + N_CHAIN));
    this.pool.free(node);
  }

  /** Moves a node to the head of the LRU queue (most recently used). */
  touch(node: number): void {
    this.unlinkLru(node);
    this.linkHead(node);
  }

  /** Returns the least recently used node, or 0. */
  lruTail(): number {
    return this.word(H_LRU_TAIL);
  }

  /** Returns the next more recently used node, or 0. */
  newer(node: number): number {
    return this.word(node + N_LRU_PREV);
  }

  /**
   * Reclaims entries as ngx_http_lua_shdict_expire does. With `force` the
   * least recently used entry goes whatever its expiry. Then up to two
   * expired entries go from the tail, until one is still live. Returns
   * the number freed.
   */
  expire(now: number, force: boolean): number {
    let freed = 0;
    for (let n = force ? 0 : 1; n < 3; n++) {
      const node = this.lruTail();
      if (node === 0) return freed;
      if (n !== 0) {
        const expires = this.expires(node);
        if (expires === 0 || expires - now > 0) return freed;
      }
      this.remove(node);
      freed++;
    }
    return freed;
  }

  // ---- lists -------------------------------------------------------------

  private listHead(node: number): number {
    return align8(node + N_DATA + this.keyLength(node));
  }

  /** Makes the node's item list empty (without freeing items). */
  clearList(node: number): void {
    const head = this.listHead(node);
    this.setWord(head, 0);
    this.setWord(head + 4, 0);
  }

  /** First (left) or last (right) item of a list node, or 0. */
  listEnd(node: number, isLeft: boolean): number {
    return this.word(this.listHead(node) + (isLeft ? 0 : 4));
  }

  /** Allocates an item with `bytes` of value and links it at one end. */
  pushItem(node: number, type: ValueType, bytes: Uint8Array, isLeft: boolean) {
    const item = this.pool.alloc(LIST_ITEM_OVERHEAD + bytes.length);
    if (item === 0) return 0;
    this.setWord(item + I_LEN, bytes.length);
    this.u8[CONTROL_SIZE + item + I_TYPE] = type;
    this.u8.set(bytes, CONTROL_SIZE + item + I_DATA);
    const head = this.listHead(node);
    const first = this.word(head);
    const last = this.word(head + 4);
    if (isLeft) {
      this.setWord(item + I_PREV, 0);
      this.setWord(item + I_NEXT, first);
      if (first !== 0) this.setWord(first + I_PREV, item);
      else this.setWord(head + 4, item);
      this.setWord(head, item);
    } else {
      this.setWord(item + I_NEXT, 0);
      this.setWord(item + I_PREV, last);
      if (last !== 0) this.setWord(last + I_NEXT, item);
      else this.setWord(head, item);
      this.setWord(head + 4, item);
    }
    return item;
  }

  /** Unlinks and frees an item; returns its type and a copy of its bytes. */
  takeItem(node: number, item: number): { type: ValueType; bytes: Uint8Array } {
    const head = this.listHead(node);
    const prev = this.word(item + I_PREV);
    const next = this.word(item + I_NEXT);
    if (prev !== 0) this.setWord(prev + I_NEXT, next);
    else this.setWord(head, next);
    if (next !== 0) this.setWord(next + I_PREV, prev);
    else this.setWord(head + 4, prev);
    const at = CONTROL_SIZE + item + I_DATA;
    const type = this.u8[CONTROL_SIZE + item + I_TYPE] as ValueType;
    const bytes = this.u8.slice(at, at + this.word(item + I_LEN));
    this.pool.free(item);
    return { type, bytes };
  }

  /** Frees every item of a list node. */
  freeListItems(node: number): void {
    let item = this.listEnd(node, true);
    while (item !== 0) {
      const next = this.word(item + I_NEXT);
      this.pool.free(item);
      item = next;
    }
    this.clearList(node);
  }

  // ---- private -----------------------------------------------------------

  private hasKey(node: number, key: Uint8Array): boolean {
    if (this.keyLength(node) !== key.length) return false;
    const at = CONTROL_SIZE + node + N_DATA;
    for (let i = 0; i < key.length; i++) {
      if (this.u8[at + i] !== key[i]) return false;
    }
    return true;
  }

  private linkHead(node: number): void {
    const head = this.word(H_LRU_HEAD);
    this.setWord(node + N_LRU_PREV, 0);
    this.setWord(node + N_LRU_NEXT, head);
    if (head !== 0) this.setWord(head + N_LRU_PREV, node);
    else this.setWord(H_LRU_TAIL, node);
    this.setWord(H_LRU_HEAD, node);
  }

  private unlinkLru(node: number): void {
    const prev = this.word(node + N_LRU_PREV);
    const next = this.word(node + N_LRU_NEXT);
    if (prev !== 0) this.setWord(prev + N_LRU_NEXT, next);
    else this.setWord(H_LRU_HEAD, next);
    if (next !== 0) this.setWord(next + N_LRU_PREV, prev);
    else this.setWord(H_LRU_TAIL, prev);
  }

  /** Zone offset of a bucket word, relative like node offsets. */
  private bucket(hash: number): number {
    return this.bucketBase - CONTROL_SIZE + (hash & this.bucketMask) * 4;
  }

  private word(offset: number): number {
    return this.i32[(CONTROL_SIZE + offset) >> 2];
  }

  private setWord(offset: number, value: number): void {
    this.i32[(CONTROL_SIZE + offset) >> 2] = value;
  }
}

/** FNV-1a over the key bytes. */
function hashKey(key: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key[i];
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
