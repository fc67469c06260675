/**
 * Clear errors for OpenResty APIs the simulator does not have yet, in
 * place of Lua's "attempt to index a nil value": a learner sees what is
 * missing and that it is the simulator's gap, not their code's.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { bytesToText } from "./luaStack";

type LuaState = unknown;

/** ngx.* fields of lua-nginx-module 0.10.28 that are not simulated. */
export const UNSUPPORTED_NGX_FIELDS = new Set([
  "on_abort",
  "run_worker_thread",
  "get_raw_phase",
]);

/** Modules OpenResty ships that the simulator does not provide. */
export const UNSUPPORTED_MODULES = [
  "ngx.balancer",
  "ngx.ssl",
  "ngx.ocsp",
  "ngx.pipe",
  "ngx.errlog",
  "ngx.upstream",
  "resty.string",
  "resty.sha1",
  "resty.sha256",
  "resty.md5",
  "resty.random",
  "resty.aes",
  "resty.http",
  "resty.redis",
  "resty.mysql",
  "resty.memcached",
  "resty.websocket.server",
  "resty.websocket.client",
  "resty.upload",
  "resty.dns.resolver",
  "resty.limit.req",
  "resty.limit.conn",
  "resty.limit.count",
  "resty.shell",
  "resty.signal",
];

function raiseUnsupported(L: LuaState, what: string): number {
  return lauxlib.luaL_error(L, to_luastring(`${what} is not supported by this simulator yet`));
}

/**
 * Pushes a stand-in for `ngx.<name>`: calling it, or calling any of its
 * fields, raises "ngx.<name>... is not supported by this simulator yet".
 */
export function pushUnsupportedField(L: LuaState, name: string): void {
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  lua.lua_pushjsfunction(L, (L: LuaState) => {
    const field = bytesToText(lua.lua_tolstring(L, 2) ?? new Uint8Array());
    const full = `ngx.${name}.${field}`;
    lua.lua_pushjsfunction(L, (L: LuaState) => raiseUnsupported(L, full));
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("__index"));
  lua.lua_pushjsfunction(L, (L: LuaState) => raiseUnsupported(L, `ngx.${name}`));
  lua.lua_setfield(L, -2, to_luastring("__call"));
  lua.lua_setmetatable(L, -2);
}

/** Registers package.preload loaders that explain what is missing. */
export function installUnsupportedModules(L: LuaState): void {
  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_getfield(L, -1, to_luastring("preload"));
  for (const name of UNSUPPORTED_MODULES) {
    lua.lua_pushjsfunction(L, (L: LuaState) =>
      lauxlib.luaL_error(
        L,
        to_luastring(
          `module '${name}' is part of OpenResty but is not supported by this simulator yet`,
        ),
      ),
    );
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  lua.lua_pop(L, 2);
}
