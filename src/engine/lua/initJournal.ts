/**
 * Makes a worker's VM look like a fork of the master's after init_by_lua.
 * The master's run of init_by_lua records what each ngx API call returned;
 * each worker then runs init_by_lua again in replay mode, where those calls
 * return the recorded values instead of acting again, so shared dict writes
 * happen once and the worker's globals match the master's.
 */
import { lua } from "fengari";

type LuaState = unknown;
type Primitive = null | boolean | number | Uint8Array;

type JournalEntry =
  | { kind: "values"; values: Primitive[] }
  | { kind: "error"; message: Uint8Array }
  | { kind: "live" };

/** The calls of one init_by_lua run, in order. */
export interface InitJournal {
  mode: "record" | "replay";
  entries: JournalEntry[];
  cursor: number;
}

interface GlobalState {
  initJournal?: InitJournal | null;
}

function globalState(L: LuaState): GlobalState {
  return (L as { l_G: GlobalState }).l_G;
}

/** Starts (or with null, stops) recording or replaying on L's VM. */
export function setInitJournal(L: LuaState, journal: InitJournal | null): void {
  globalState(L).initJournal = journal;
}

function readPrimitive(L: LuaState, index: number): Primitive | undefined {
  switch (lua.lua_type(L, index)) {
    case lua.LUA_TNIL:
      return null;
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, index);
    case lua.LUA_TNUMBER:
      return lua.lua_tonumber(L, index);
    case lua.LUA_TSTRING:
      return lua.lua_tolstring(L, index);
    default:
      return undefined;
  }
}

function pushPrimitive(L: LuaState, value: Primitive): void {
  if (value === null) lua.lua_pushnil(L);
  else if (typeof value === "boolean") lua.lua_pushboolean(L, value);
  else if (typeof value === "number") lua.lua_pushnumber(L, value);
  else lua.lua_pushstring(L, value);
}

function record(journal: InitJournal, L: LuaState, fn: (L: LuaState) => number): number {
  const entry: JournalEntry = { kind: "live" };
  journal.entries.push(entry);
  const index = journal.entries.length - 1;
  try {
    const n = fn(L);
    const values: Primitive[] = [];
    for (let i = n; i >= 1; i--) {
      const value = readPrimitive(L, -i);
      if (value === undefined) return n;
      values.push(value);
    }
    journal.entries[index] = { kind: "values", values };
    return n;
  } catch (error) {
    if (lua.lua_type(L, -1) === lua.LUA_TSTRING) {
      journal.entries[index] = { kind: "error", message: lua.lua_tolstring(L, -1) };
    }
    throw error;
  }
}

/**
 * Wraps an API function so that init_by_lua's calls to it are recorded in
 * the master and replayed in workers.
 */
export function journaled(fn: (L: LuaState) => number): (L: LuaState) => number {
  return (L: LuaState) => {
    const journal = globalState(L).initJournal;
    if (!journal) return fn(L);
    if (journal.mode === "record") return record(journal, L, fn);
    const entry = journal.entries[journal.cursor++];
    if (!entry || entry.kind === "live") return fn(L);
    if (entry.kind === "error") {
      lua.lua_pushstring(L, entry.message);
      return lua.lua_error(L);
    }
    for (const value of entry.values) pushPrimitive(L, value);
    return entry.values.length;
  };
}

