/**
 * math.random and math.randomseed on a seeded generator, so that a run
 * replays exactly from its seed (fengari's own math.random draws from the
 * host's Math.random).
 */
import { lua, lauxlib, to_luastring } from "fengari";

type LuaState = unknown;

/** A 32-bit xorshift generator: small, fast and fully determined by its seed. */
class XorShift32 {
  private state: number;

  constructor(seed: number) {
    this.state = (seed >>> 0) || 0x9e3779b9;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
}

/** Replaces math.random and math.randomseed in L's globals. */
export function installSeededRandom(L: LuaState, seed: number): void {
  let generator = new XorShift32(seed);
  lua.lua_getglobal(L, to_luastring("math"));
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    const r = generator.next();
    const nargs = lua.lua_gettop(L);
    if (nargs === 0) {
      lua.lua_pushnumber(L, r);
      return 1;
    }
    const low = nargs === 1 ? 1 : Math.floor(lauxlib.luaL_checknumber(L, 1));
    const high = Math.floor(lauxlib.luaL_checknumber(L, nargs === 1 ? 1 : 2));
    lauxlib.luaL_argcheck(L, low <= high, nargs, to_luastring("interval is empty"));
    lua.lua_pushnumber(L, low + Math.floor(r * (high - low + 1)));
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("random"));
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    generator = new XorShift32(Math.floor(lauxlib.luaL_checknumber(L, 1)));
    return 0;
  });
  lua.lua_setfield(L, -2, to_luastring("randomseed"));
  lua.lua_pop(L, 1);
}
