/**
 * Small conversions between Lua stack values and JavaScript used by the
 * ngx.* API modules.
 */
import { lua, lauxlib, to_luastring, to_jsstring } from "fengari";
import { journaled } from "../initJournal";
import { formatNgxNumber } from "../numberFormat";

type LuaState = unknown;
type JsFunction = (L: LuaState) => number;

const decoder = new TextDecoder("utf-8");

/** Decodes Lua string bytes for messages (invalid UTF-8 is replaced). */
export function bytesToText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Pushes a JavaScript string as a Lua string. */
export function pushText(L: LuaState, text: string): void {
  lua.lua_pushstring(L, to_luastring(text));
}

/** Reads a string argument (numbers are converted), raising Lua's error. */
export function checkText(L: LuaState, index: number): string {
  return to_jsstring(lauxlib.luaL_checklstring(L, index), undefined, undefined, true);
}

/** Reads a string argument as bytes. */
export function checkBytes(L: LuaState, index: number): Uint8Array {
  return lauxlib.luaL_checklstring(L, index);
}

/** Converts a value to text as ngx.log and print do (nil, true, false). */
export function logText(L: LuaState, index: number): string {
  switch (lua.lua_type(L, index)) {
    case lua.LUA_TSTRING:
      return bytesToText(lua.lua_tolstring(L, index));
    case lua.LUA_TNUMBER:
      return formatNgxNumber(lua.lua_tonumber(L, index));
    case lua.LUA_TNIL:
      return "nil";
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, index) ? "true" : "false";
    case lua.LUA_TLIGHTUSERDATA:
      return "null";
    default: {
      if (lauxlib.luaL_callmeta(L, index, to_luastring("__tostring"))) {
        const text = bytesToText(lua.lua_tolstring(L, -1));
        lua.lua_pop(L, 1);
        return text;
      }
      const type = bytesToText(lauxlib.luaL_typename(L, index));
      return `${type}: 0xADDR`;
    }
  }
}

/**
 * Sets `table[name] = fn` for the table at the stack top. Calls made from
 * init_by_lua are journaled, so forked workers replay their results.
 */
export function setFunction(L: LuaState, name: string, fn: JsFunction): void {
  lua.lua_pushjsfunction(L, journaled(fn));
  lua.lua_setfield(L, -2, to_luastring(name));
}

/** Sets `table[name] = value` (a number) for the table at the stack top. */
export function setNumber(L: LuaState, name: string, value: number): void {
  lua.lua_pushnumber(L, value);
  lua.lua_setfield(L, -2, to_luastring(name));
}

/** Sets `table[name] = value` (a string) for the table at the stack top. */
export function setText(L: LuaState, name: string, value: string): void {
  pushText(L, value);
  lua.lua_setfield(L, -2, to_luastring(name));
}

/** The `chunk:line` of the Lua code that called the running function. */
export function callerPosition(L: LuaState): string | null {
  const ar = new lua.lua_Debug();
  if (!lua.lua_getstack(L, 1, ar)) return null;
  lua.lua_getinfo(L, to_luastring("Sl"), ar);
  if (ar.currentline <= 0) return null;
  return `${bytesToText(ar.short_src)}:${ar.currentline}`;
}

/** Reads an optional number argument, raising Lua's error if not a number. */
export function optNumber(L: LuaState, index: number, fallback: number): number {
  return lauxlib.luaL_optnumber(L, index, fallback);
}
