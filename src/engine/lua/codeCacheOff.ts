/**
 * `lua_code_cache off`: lua-nginx-module then gives every request a fresh
 * Lua VM, so modules load again and globals start over. The simulator
 * keeps one VM per worker and instead restores its globals and
 * package.loaded to what they were after start-up, before each request.
 * NOTE: concurrent requests still share that VM between their yields,
 * where real nginx would give each its own.
 */
import { lua, lauxlib, to_luastring } from "fengari";

type LuaState = unknown;

const SNAPSHOT_SOURCE = `
local pairs, rawset, G, loaded = pairs, rawset, _G, package.loaded
local globals, modules = {}, {}
for k, v in pairs(G) do globals[k] = v end
for k, v in pairs(loaded) do modules[k] = v end
return function()
  for k in pairs(G) do
    if globals[k] == nil then rawset(G, k, nil) end
  end
  for k, v in pairs(globals) do rawset(G, k, v) end
  for k in pairs(loaded) do
    if modules[k] == nil then loaded[k] = nil end
  end
  for k, v in pairs(modules) do loaded[k] = v end
end
`;

/**
 * Records the VM's globals and loaded modules; returns a registry ref of
 * the function that restores them.
 */
export function snapshotLuaState(L: LuaState): number {
  const status = lauxlib.luaL_loadbufferx(
    L,
    to_luastring(SNAPSHOT_SOURCE),
    null,
    to_luastring("=lua_code_cache off"),
    to_luastring("t"),
  );
  if (status !== lua.LUA_OK || lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) {
    throw new Error("could not record the Lua state for lua_code_cache off");
  }
  return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
}

/** Puts globals and package.loaded back as `snapshotLuaState` saw them. */
export function restoreLuaState(L: LuaState, restoreRef: number): void {
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, restoreRef);
  if (lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) lua.lua_pop(L, 1);
}
