/**
 * What OpenResty's LuaJIT and lua-resty-core add to a plain Lua 5.1: the
 * `jit` table and the modules every OpenResty handler can require
 * (resty.core, table.new, table.nkeys, ...), registered in package.preload.
 * Version numbers are those of OpenResty 1.27.1.2.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { installModuleFunction } from "./moduleFunction";

type LuaState = unknown;

/** Lua source of the preloaded pure-Lua modules. */
const PRELOADED_SOURCES: Record<string, string> = {
  "resty.core": `return { version = "0.1.31" }`,
  "resty.core.base": `return { version = "0.1.31" }`,
  "table.new": `return function(narr, nrec) return {} end`,
  "table.clear": `return function(t) for k in pairs(t) do t[k] = nil end end`,
  "table.nkeys": `return function(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end`,
  "table.isempty": `return function(t) return next(t) == nil end`,
  "thread.exdata": `local data return function(v) if v ~= nil then data = v end return data end`,
};

function setField(L: LuaState, name: string, push: () => void): void {
  push();
  lua.lua_setfield(L, -2, to_luastring(name));
}

/** Creates the global `jit` table as OpenResty's LuaJIT 2.1 reports it. */
function installJit(L: LuaState): void {
  lua.lua_newtable(L);
  setField(L, "version", () => lua.lua_pushstring(L, to_luastring("LuaJIT 2.1.0-beta3")));
  setField(L, "version_num", () => lua.lua_pushnumber(L, 20100));
  setField(L, "os", () => lua.lua_pushstring(L, to_luastring("Linux")));
  setField(L, "arch", () => lua.lua_pushstring(L, to_luastring("x64")));
  for (const name of ["on", "off", "flush"]) {
    setField(L, name, () => lua.lua_pushjsfunction(L, () => 0));
  }
  setField(L, "status", () =>
    lua.lua_pushjsfunction(L, (L: LuaState) => {
      lua.lua_pushboolean(L, false);
      return 1;
    }),
  );
  lua.lua_setglobal(L, to_luastring("jit"));
}

/** Registers OpenResty's built-in modules and the `jit` table in L. */
export function installOpenrestyModules(L: LuaState, extra: Record<string, string> = {}): void {
  installJit(L);
  installModuleFunction(L);
  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_getfield(L, -1, to_luastring("preload"));
  for (const [name, source] of Object.entries({ ...PRELOADED_SOURCES, ...extra })) {
    const status = lauxlib.luaL_loadbufferx(
      L,
      to_luastring(source),
      null,
      to_luastring(`=${name}`),
      to_luastring("t"),
    );
    if (status !== lua.LUA_OK) throw new Error(`built-in module ${name} failed to load`);
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  lua.lua_pop(L, 2);
}
