/**
 * How ngx.say, ngx.print and ngx.log turn their Lua arguments into bytes,
 * with lua-nginx-module's rules: array tables are flattened, nil, booleans
 * and ngx.null print as words, hash tables and other types are errors.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { formatNgxNumber } from "../numberFormat";

type LuaState = unknown;

/** The light userdata that stands for ngx.null (a NULL pointer in C). */
export const NGX_NULL = { name: "ngx.null" };

const TRUE = to_luastring("true");
const FALSE = to_luastring("false");
const NIL = to_luastring("nil");
const NULL = to_luastring("null");

/**
 * Collects the bytes of arguments `first`..top for ngx.say/ngx.print.
 * Raises lua-nginx-module's argument errors.
 */
export function collectOutput(L: LuaState, first: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const top = lua.lua_gettop(L);
  for (let i = first; i <= top; i++) appendValue(L, i, i, parts);
  return parts;
}

function appendValue(
  L: LuaState,
  index: number,
  argNumber: number,
  parts: Uint8Array[],
): void {
  const type = lua.lua_type(L, index);
  switch (type) {
    case lua.LUA_TSTRING:
      parts.push(lua.lua_tolstring(L, index));
      return;
    case lua.LUA_TNUMBER:
      parts.push(to_luastring(formatNgxNumber(lua.lua_tonumber(L, index))));
      return;
    case lua.LUA_TNIL:
      parts.push(NIL);
      return;
    case lua.LUA_TBOOLEAN:
      parts.push(lua.lua_toboolean(L, index) ? TRUE : FALSE);
      return;
    case lua.LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(L, index) === NGX_NULL) {
        parts.push(NULL);
        return;
      }
      break;
    case lua.LUA_TTABLE:
      appendTable(L, index, argNumber, parts);
      return;
  }
  lauxlib.luaL_argerror(
    L,
    argNumber,
    to_luastring(
      "string, number, boolean, nil, ngx.null, or array table expected, " +
        `but got ${typeName(L, index)}`,
    ),
  );
}

function typeName(L: LuaState, index: number): string {
  return new TextDecoder().decode(lauxlib.luaL_typename(L, index));
}

function appendTable(
  L: LuaState,
  index: number,
  argNumber: number,
  parts: Uint8Array[],
): void {
  const t = lua.lua_absindex(L, index);
  const length = arrayLength(L, t, argNumber);
  for (let i = 1; i <= length; i++) {
    lua.lua_rawgeti(L, t, i);
    appendValue(L, -1, argNumber, parts);
    lua.lua_pop(L, 1);
  }
}

/** The largest positive integer key, or an error for any other key. */
function arrayLength(L: LuaState, t: number, argNumber: number): number {
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, t)) {
    lua.lua_pop(L, 1);
    const isIndex =
      lua.lua_type(L, -1) === lua.LUA_TNUMBER &&
      Number.isInteger(lua.lua_tonumber(L, -1)) &&
      lua.lua_tonumber(L, -1) >= 1;
    if (!isIndex) {
      lua.lua_pop(L, 1);
      lauxlib.luaL_argerror(L, argNumber, to_luastring("non-array table found"));
    }
    max = Math.max(max, lua.lua_tonumber(L, -1));
  }
  return max;
}

/** Joins byte chunks into one array. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
