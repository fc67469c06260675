/**
 * LuaJIT's BitOp module (`bit`): 32-bit operations whose results are signed
 * 32-bit numbers, as LuaJIT returns them (bit.bnot(0) is -1).
 */
import { lua, lauxlib, to_luastring } from "fengari";
import type { LuaCFunction, LuaState } from "fengari";

/**
 * Converts a double to the 32-bit range as bit.tobit does: LuaJIT adds
 * 2^52 + 2^51, so a fraction rounds half to even before wrapping mod 2^32.
 */
export function toBit(x: number): number {
  let rounded = Math.round(x);
  if (Math.abs(x % 1) === 0.5) rounded = 2 * Math.round(x / 2);
  return rounded | 0;
}

function checkBit(L: LuaState, arg: number): number {
  return toBit(lauxlib.luaL_checknumber(L, arg));
}

function pushNumber(L: LuaState, n: number): number {
  lua.lua_pushnumber(L, n);
  return 1;
}

/** Folds every argument with `op`, as band/bor/bxor accept any count. */
function variadic(op: (a: number, b: number) => number): LuaCFunction {
  return (L) => {
    let result = checkBit(L, 1);
    const top = lua.lua_gettop(L);
    for (let i = 2; i <= top; i++) result = op(result, checkBit(L, i));
    return pushNumber(L, result);
  };
}

function shift(op: (x: number, n: number) => number): LuaCFunction {
  return (L) => pushNumber(L, op(checkBit(L, 1), checkBit(L, 2) & 31) | 0);
}

function toHex(L: LuaState): number {
  let x = checkBit(L, 1);
  let digits = lua.lua_isnoneornil(L, 2) ? 8 : checkBit(L, 2);
  const isUpper = digits < 0;
  if (isUpper) digits = -digits;
  if (digits > 8) digits = 8;
  let text = "";
  for (let i = 0; i < digits; i++) {
    text = "0123456789abcdef"[x & 15] + text;
    x >>>= 4;
  }
  lua.lua_pushstring(L, to_luastring(isUpper ? text.toUpperCase() : text));
  return 1;
}

const bitFunctions: Record<string, LuaCFunction> = {
  tobit: (L) => pushNumber(L, checkBit(L, 1)),
  tohex: toHex,
  bnot: (L) => pushNumber(L, ~checkBit(L, 1)),
  band: variadic((a, b) => a & b),
  bor: variadic((a, b) => a | b),
  bxor: variadic((a, b) => a ^ b),
  lshift: shift((x, n) => x << n),
  rshift: shift((x, n) => x >>> n),
  arshift: shift((x, n) => x >> n),
  rol: shift((x, n) => (x << n) | (x >>> (32 - n))),
  ror: shift((x, n) => (x >>> n) | (x << (32 - n))),
  bswap: (L) => {
    const x = checkBit(L, 1);
    const swapped =
      ((x & 0xff) << 24) |
      ((x & 0xff00) << 8) |
      ((x >>> 8) & 0xff00) |
      (x >>> 24);
    return pushNumber(L, swapped | 0);
  },
};

/** Pushes a new `bit` module table onto the stack. */
export function pushBitModule(L: LuaState): void {
  lua.lua_createtable(L, 0, Object.keys(bitFunctions).length);
  for (const [name, fn] of Object.entries(bitFunctions)) {
    lua.lua_pushjsfunction(L, fn);
    lua.lua_setfield(L, -2, to_luastring(name));
  }
}
