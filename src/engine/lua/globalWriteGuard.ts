/**
 * lua-nginx-module's "_G write guard": assigning a new global variable
 * while serving requests (not in init_by_lua or init_worker_by_lua) logs a
 * warning with a traceback, because globals are shared by every request of
 * the worker. The chunk keeps the guard's ngx.log call on line 12, as in
 * the real module, since that line appears in the message.
 */
import { lua, lauxlib, to_luastring } from "fengari";

type LuaState = unknown;

const GUARD_SOURCE = `local ngx_log = ngx.log
local ngx_WARN = ngx.WARN
local tostring = tostring
local rawset = rawset
local get_phase = ngx.get_phase
local traceback = debug.traceback
local function newindex(t, key, value)
  rawset(t, key, value)
  local phase = get_phase()
  if phase == "init" or phase == "init_worker" then return end
  local msg = "writing a global Lua variable ('" .. tostring(key) .. "') which may lead to race conditions between concurrent requests, so prefer the use of 'local' variables"
  ngx_log(ngx_WARN, msg, traceback("", 2))
end
setmetatable(_G, { __newindex = newindex })
`;

/** Installs the guard on L's globals; call after `ngx` exists. */
export function installGlobalWriteGuard(L: LuaState): void {
  const status = lauxlib.luaL_loadbufferx(
    L,
    to_luastring(GUARD_SOURCE),
    null,
    to_luastring("=_G write guard"),
    to_luastring("t"),
  );
  if (status !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
    throw new Error("the _G write guard failed to install");
  }
}
