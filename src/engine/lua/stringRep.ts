/**
 * string.rep as LuaJIT runs it. LuaJIT converts the count to a 32-bit
 * integer the x86 way (cvttsd2si), so a count of 2^31 or more becomes
 * INT_MIN and the result is the empty string at once. Fengari would try
 * to build a 2 GiB string instead and block the tab. Results larger than
 * the simulator keeps in memory fail with LuaJIT's out-of-memory message.
 */
import { lua, lauxlib, to_luastring } from "fengari";

type LuaState = unknown;

/** INT_MIN: what cvttsd2si gives for a double outside the int32 range. */
const INT32_INDEFINITE = -2147483648;

/**
 * The largest string this simulator builds, in bytes. LuaJIT allows
 * about 2 GiB; a browser tab could not hold many of those.
 */
const MAX_RESULT_BYTES = 64 * 1024 * 1024;

/** Converts a Lua number to a C int as LuaJIT's lj_lib_checkint does on x86. */
function toInt32(n: number): number {
  if (!(n >= -2147483648 && n < 2147483648)) return INT32_INDEFINITE;
  return Math.trunc(n);
}

function stringRep(L: LuaState): number {
  const s: Uint8Array = lauxlib.luaL_checklstring(L, 1);
  const count = toInt32(lauxlib.luaL_checknumber(L, 2));
  const sep: Uint8Array = lauxlib.luaL_optlstring(L, 3, to_luastring(""));
  if (count <= 0) {
    lua.lua_pushliteral(L, "");
    return 1;
  }
  const total = s.length * count + sep.length * (count - 1);
  if (total > MAX_RESULT_BYTES) {
    lauxlib.luaL_error(
      L,
      to_luastring(`not enough memory (simulator limit: strings of at most ${MAX_RESULT_BYTES} bytes)`),
    );
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0 && sep.length > 0) {
      out.set(sep, offset);
      offset += sep.length;
    }
    out.set(s, offset);
    offset += s.length;
  }
  lua.lua_pushstring(L, out);
  return 1;
}

/** Replaces string.rep in L's string library. */
export function installStringRep(L: LuaState): void {
  lua.lua_getglobal(L, to_luastring("string"));
  lua.lua_pushjsfunction(L, stringRep);
  lua.lua_setfield(L, -2, to_luastring("rep"));
  lua.lua_pop(L, 1);
}
