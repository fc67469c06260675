/**
 * Lua 5.1's `module(name, ...)` and `package.seeall`, as LuaJIT provides
 * them: module finds or creates the module's table (creating the global
 * path to it, which the _G write guard reports), makes it the environment
 * of the calling chunk, and applies the options. It is a JavaScript
 * function so tracebacks show `[C]: in function 'module'` as LuaJIT does.
 */
import { lua, lauxlib, to_luastring, to_jsstring } from "fengari";

type LuaState = unknown;

function field(L: LuaState, index: number, name: string): number {
  return lua.lua_getfield(L, index, to_luastring(name));
}

/** Leaves the module's table on the stack top. */
function findOrCreate(L: LuaState, name: string, loaded: number): void {
  field(L, loaded, name);
  if (lua.lua_type(L, -1) === lua.LUA_TTABLE) return;
  lua.lua_pop(L, 1);
  lua.lua_pushglobaltable(L);
  for (const part of name.split(".")) {
    field(L, -1, part);
    if (lua.lua_isnil(L, -1)) {
      lua.lua_pop(L, 1);
      lua.lua_newtable(L);
      lua.lua_pushvalue(L, -1);
      // A plain (not raw) store, so the _G write guard sees new globals.
      lua.lua_setfield(L, -3, to_luastring(part));
    } else if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
      lauxlib.luaL_error(L, to_luastring(`name conflict for module '${name}'`));
    }
    lua.lua_remove(L, -2);
  }
  lua.lua_pushvalue(L, -1);
  lua.lua_setfield(L, loaded, to_luastring(name));
}

function moduleFunction(L: LuaState): number {
  const name = to_jsstring(lauxlib.luaL_checkstring(L, 1));
  const options = lua.lua_gettop(L);
  lua.lua_getglobal(L, to_luastring("package"));
  field(L, -1, "loaded");
  const loaded = lua.lua_gettop(L);
  findOrCreate(L, name, loaded);
  const module = lua.lua_gettop(L);
  if (field(L, module, "_NAME") === lua.LUA_TNIL) {
    lua.lua_pushvalue(L, module);
    lua.lua_setfield(L, module, to_luastring("_M"));
    lua.lua_pushstring(L, to_luastring(name));
    lua.lua_setfield(L, module, to_luastring("_NAME"));
    const dot = name.lastIndexOf(".");
    lua.lua_pushstring(L, to_luastring(dot >= 0 ? name.slice(0, dot) : ""));
    lua.lua_setfield(L, module, to_luastring("_PACKAGE"));
  }
  lua.lua_pop(L, 1);
  const ar = new lua.lua_Debug();
  if (lua.lua_getstack(L, 1, ar)) {
    lua.lua_getglobal(L, to_luastring("setfenv"));
    lua.lua_getinfo(L, to_luastring("f"), ar);
    lua.lua_pushvalue(L, module);
    lua.lua_call(L, 2, 0);
  }
  for (let i = 2; i <= options; i++) {
    lua.lua_pushvalue(L, i);
    lua.lua_pushvalue(L, module);
    lua.lua_call(L, 1, 0);
  }
  return 0;
}

/** Installs `module` and `package.seeall` into L's globals. */
export function installModuleFunction(L: LuaState): void {
  lua.lua_pushjsfunction(L, moduleFunction);
  lua.lua_setglobal(L, to_luastring("module"));
  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    lua.lua_newtable(L);
    lua.lua_pushglobaltable(L);
    lua.lua_setfield(L, -2, to_luastring("__index"));
    lua.lua_setmetatable(L, 1);
    return 0;
  });
  lua.lua_setfield(L, -2, to_luastring("seeall"));
  lua.lua_pop(L, 1);
}
