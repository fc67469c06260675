/**
 * Watches the fields of chosen Lua tables (module tables) for the race
 * detector: a patch in fengari's table get and set (lvm.js) calls the
 * `observer` of a table that has one, with each key read or written.
 * Accesses whose value is a function (method lookups) are left out.
 */
import { lua, to_jsstring } from "fengari";

type LuaState = unknown;

interface TValueLike {
  type: number;
  value: unknown;
  ttisfunction(): boolean;
  ttisstring(): boolean;
  ttisnumber(): boolean;
  svalue(): Uint8Array;
}

/** Called with "read" or "write" and the field name. */
export type FieldAccess = (L: LuaState, op: "read" | "write", field: string) => void;

/** Starts watching the table at `index` of L's stack. */
export function observeTable(L: LuaState, index: number, onAccess: FieldAccess): void {
  if (lua.lua_type(L, index) !== lua.LUA_TTABLE) return;
  // fengari's lua_topointer returns the table object itself.
  const table = lua.lua_topointer(L, index) as { observer?: unknown };
  table.observer = (T: LuaState, op: number, key: TValueLike, value: TValueLike) => {
    if (value.ttisfunction()) return;
    if (!key.ttisstring() && !key.ttisnumber()) return;
    const field = key.ttisstring() ? to_jsstring(key.svalue()) : String(key.value);
    onAccess(T, op === 0 ? "read" : "write", field);
  };
}
