/**
 * Stable numbers for Lua coroutines, so that trace events can say which
 * coroutine (entry thread, light thread, timer) did what. Numbers count
 * from 1 within each Lua VM, in order of first use, so the same run gives
 * the same numbers; with the process's pid they name one coroutine.
 */
type LuaObject = object;

const ids = new WeakMap<LuaObject, number>();
const counters = new WeakMap<LuaObject, { next: number }>();

/** Returns the coroutine's number in its VM, giving it one on first use. */
export function threadId(thread: unknown): number {
  const key = thread as LuaObject;
  const known = ids.get(key);
  if (known !== undefined) return known;
  const vm = (thread as { l_G: LuaObject }).l_G;
  let counter = counters.get(vm);
  if (!counter) {
    counter = { next: 1 };
    counters.set(vm, counter);
  }
  const id = counter.next++;
  ids.set(key, id);
  return id;
}
