/**
 * Stand-ins for the parts of LuaJIT that the playground cannot offer: the
 * `io` library (there is no file system), and the `ffi` module. Using
 * them raises an error that says so, instead of Lua's "attempt to index a
 * nil value". Also adds newproxy and gcinfo, which LuaJIT's base library
 * has.
 */
import { lua, lauxlib, to_luastring } from "fengari";

type LuaState = unknown;

const IO_FUNCTIONS = ["open", "close", "read", "write", "lines", "input", "output", "popen", "tmpfile", "type", "flush"];

function raise(L: LuaState, message: string): number {
  return lauxlib.luaL_error(L, to_luastring(message));
}

/** Installs `io`, the `ffi` preload, newproxy and gcinfo into L. */
export function installMissingLibraries(L: LuaState): void {
  lua.lua_newtable(L);
  for (const name of IO_FUNCTIONS) {
    lua.lua_pushjsfunction(L, (L: LuaState) =>
      raise(L, `io.${name} is not available in the simulator: the playground has no file system`),
    );
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  lua.lua_setglobal(L, to_luastring("io"));

  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_getfield(L, -1, to_luastring("preload"));
  lua.lua_pushjsfunction(L, (L: LuaState) =>
    raise(L, "module 'ffi' is part of LuaJIT but is not supported by this simulator yet"),
  );
  lua.lua_setfield(L, -2, to_luastring("ffi"));
  lua.lua_pop(L, 2);

  lua.lua_pushjsfunction(L, (L: LuaState) => {
    // newproxy([true | proxy]): a userdata, with a fresh metatable if asked.
    lua.lua_newuserdata(L, 0);
    if (lua.lua_toboolean(L, 1)) {
      lua.lua_newtable(L);
      lua.lua_setmetatable(L, -2);
    }
    return 1;
  });
  lua.lua_setglobal(L, to_luastring("newproxy"));
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    // NOTE: fengari leaves memory to the JavaScript collector, so the
    // heap size LuaJIT reports is unknown; this is a fixed estimate in KB.
    lua.lua_pushnumber(L, 256);
    return 1;
  });
  lua.lua_setglobal(L, to_luastring("gcinfo"));
}
