/**
 * The names the rest of the engine imports for a lua_shared_dict. The
 * store itself is SharedDict: a zone in a SharedArrayBuffer with nginx's
 * slab accounting, LRU eviction and an Atomics mutex.
 */
export { SharedDict as MemoryDict } from "./sharedDict";
export type { DictValue, WriteResult } from "./sharedDict";
