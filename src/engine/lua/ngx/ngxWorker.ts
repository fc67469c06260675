/**
 * ngx.worker, ngx.config and the `ngx.process` module (from lua-resty-core)
 * as one worker of the simulated nginx sees them.
 */
import { lua, to_luastring } from "fengari";
import { pushText, setFunction, setNumber, setText } from "./luaStack";
import type { NgxRuntime } from "./runtime";

type LuaState = unknown;

function installWorkerTable(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, "id", (L) => {
    const id = rt.process.workerId;
    if (id === null) lua.lua_pushnil(L);
    else lua.lua_pushnumber(L, id);
    return 1;
  });
  setFunction(L, "count", (L) => {
    lua.lua_pushnumber(L, rt.workerCount);
    return 1;
  });
  setFunction(L, "pid", (L) => {
    lua.lua_pushnumber(L, rt.process.pid);
    return 1;
  });
  setFunction(L, "exiting", (L) => {
    lua.lua_pushboolean(L, rt.isExiting);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("worker"));
}

function installConfigTable(L: LuaState): void {
  lua.lua_newtable(L);
  setText(L, "subsystem", "http");
  setNumber(L, "nginx_version", 1027001);
  setNumber(L, "ngx_lua_version", 10028);
  // OpenResty's reference build has debug logging compiled in.
  lua.lua_pushboolean(L, true);
  lua.lua_setfield(L, -2, to_luastring("debug"));
  setFunction(L, "prefix", (L) => {
    pushText(L, "/usr/local/openresty/nginx/");
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("config"));
}

/** Registers `require "ngx.process"` in package.preload. */
function installProcessModule(rt: NgxRuntime, L: LuaState): void {
  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_getfield(L, -1, to_luastring("preload"));
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    lua.lua_newtable(L);
    setFunction(L, "type", (L) => {
      const isInit = rt.current?.phase === "init";
      pushText(L, isInit ? "master" : rt.process.kind);
      return 1;
    });
    setFunction(L, "enable_privileged_agent", (L) => {
      const error =
        rt.current?.phase === "init"
          ? rt.enablePrivilegedAgent()
          : "API disabled in the current context";
      if (error === null) {
        lua.lua_pushboolean(L, true);
        return 1;
      }
      lua.lua_pushnil(L);
      pushText(L, error);
      return 2;
    });
    setFunction(L, "get_master_pid", (L) => {
      lua.lua_pushnumber(L, rt.masterPid);
      return 1;
    });
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("ngx.process"));
  lua.lua_pop(L, 2);
}

/** Fills ngx.worker and ngx.config, and registers ngx.process. */
export function installWorker(rt: NgxRuntime, L: LuaState): void {
  installWorkerTable(rt, L);
  installConfigTable(L);
  installProcessModule(rt, L);
}
