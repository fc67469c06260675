/**
 * ngx.socket.tcp: cosockets to the server blocks of the simulated nginx
 * itself. Every wait (connect, receive) yields the Lua thread to the event
 * loop, so the worker can serve the very request the cosocket sent. The
 * return values and messages are lua-nginx-module 0.10's. A connection
 * belongs to the request (or timer run) that connected it. It closes when
 * that ends, unless setkeepalive moved it to the worker's pool first.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import type { ReadPattern } from "./cosocket";
import { checkBytes, setFunction } from "./luaStack";
import { pushFailure, SocketApi } from "./socketApi";
import type { NgxRuntime } from "./runtime";

export { releaseCosockets } from "./socketApi";

type LuaState = unknown;

/** Parses receive's pattern argument as lua-nginx-module does. */
function receivePattern(L: LuaState): ReadPattern | "empty" {
  const n = lua.lua_gettop(L);
  if (n !== 1 && n !== 2) {
    lauxlib.luaL_error(
      L,
      to_luastring(`expecting 1 or 2 arguments (including the object), but got ${n}`),
    );
  }
  if (n === 1) return { kind: "line" };
  if (lua.lua_isnumber(L, 2)) {
    const count = Number(lua.lua_tointeger(L, 2));
    if (count < 0) lauxlib.luaL_argerror(L, 2, to_luastring("bad number argument"));
    return count === 0 ? "empty" : { kind: "bytes", count };
  }
  if (lua.lua_type(L, 2) !== lua.LUA_TSTRING) {
    lauxlib.luaL_argerror(L, 2, to_luastring("bad argument"));
  }
  const text = new TextDecoder().decode(checkBytes(L, 2));
  if (text === "*l") return { kind: "line" };
  if (text === "*a") return { kind: "all" };
  if (text.length !== 2 || text[0] !== "*") {
    lauxlib.luaL_argerror(L, 2, to_luastring(`bad pattern argument: ${text}`));
  }
  return lauxlib.luaL_argerror(L, 2, to_luastring("bad pattern argument"));
}

function receiveAnyPattern(L: LuaState): ReadPattern | "empty" {
  const n = lua.lua_gettop(L);
  if (n !== 2) {
    lauxlib.luaL_error(
      L,
      to_luastring(`expecting 2 arguments (including the object), but got ${n}`),
    );
  }
  const max = Number(lauxlib.luaL_checkinteger(L, 2));
  if (max <= 0) lauxlib.luaL_argerror(L, 2, to_luastring("bad max argument"));
  return { kind: "any", max };
}

/**
 * Implements receiveuntil(pattern, options?): returns an iterator that
 * reads up to the pattern. Called with a size, the iterator returns
 * pieces of at most that size, then nil (no error) at the pattern.
 */
function receiveUntil(api: SocketApi, L: LuaState): number {
  const n = lua.lua_gettop(L);
  if (n !== 2 && n !== 3) {
    return lauxlib.luaL_error(
      L,
      to_luastring(`expecting 2 or 3 arguments (including the object), but got ${n}`),
    );
  }
  api.owner(L);
  const pattern = checkBytes(L, 2);
  let isInclusive = false;
  if (n === 3) {
    lauxlib.luaL_checktype(L, 3, lua.LUA_TTABLE);
    lua.lua_getfield(L, 3, to_luastring("inclusive"));
    const type = lua.lua_type(L, -1);
    if (type !== lua.LUA_TNIL && type !== lua.LUA_TBOOLEAN) {
      const name = new TextDecoder().decode(lauxlib.luaL_typename(L, -1));
      return lauxlib.luaL_error(
        L,
        to_luastring(`bad "inclusive" option value type: ${name}`),
      );
    }
    isInclusive = lua.lua_toboolean(L, -1);
    lua.lua_pop(L, 1);
  }
  if (pattern.length === 0) return pushFailure(L, "pattern is empty");
  const copy = pattern.slice();
  lua.lua_pushvalue(L, 1);
  lua.lua_pushjsclosure(
    L,
    (L: LuaState) => {
      const size = lua.lua_gettop(L) >= 1 && !lua.lua_isnil(L, 1)
        ? Number(lauxlib.luaL_checkinteger(L, 1))
        : null;
      lua.lua_settop(L, 0);
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
      return api.receive(L, () => ({
        kind: "until",
        pattern: copy,
        isInclusive,
        size: size !== null && size > 0 ? size : null,
      }));
    },
    1,
  );
  return 1;
}

/** Builds the metatable whose __index holds the socket methods. */
function pushMethods(api: SocketApi, L: LuaState): void {
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  setFunction(L, "connect", (L) => api.connect(L));
  setFunction(L, "send", (L) => api.send(L));
  setFunction(L, "receive", (L) => api.receive(L, receivePattern));
  setFunction(L, "receiveany", (L) => api.receive(L, receiveAnyPattern));
  setFunction(L, "receiveuntil", (L) => receiveUntil(api, L));
  setFunction(L, "close", (L) => api.close(L));
  setFunction(L, "setkeepalive", (L) => api.setKeepalive(L));
  setFunction(L, "getreusedtimes", (L) => api.getReusedTimes(L));
  setFunction(L, "settimeout", (L) => api.setTimeouts(L, "settimeout"));
  setFunction(L, "settimeouts", (L) => api.setTimeouts(L, "settimeouts"));
  setFunction(L, "setoption", (L) => {
    lua.lua_pushboolean(L, true);
    return 1;
  });
  setFunction(L, "sslhandshake", (L) =>
    lauxlib.luaL_error(
      L,
      to_luastring("sslhandshake is not supported by this simulator yet"),
    ),
  );
  lua.lua_setfield(L, -2, to_luastring("__index"));
}

/** Fills the `ngx` table at the stack top with `ngx.socket`. */
export function installSocket(rt: NgxRuntime, L: LuaState): void {
  const api = new SocketApi(rt);
  lua.lua_newtable(L);
  pushMethods(api, L);
  lua.lua_pushjsclosure(L, (L: LuaState) => api.create(L), 1);
  lua.lua_pushvalue(L, -1);
  lua.lua_setfield(L, -3, to_luastring("tcp"));
  lua.lua_setfield(L, -2, to_luastring("stream"));
  // ngx.socket.connect(host, port, ...): a new socket, connected.
  lua.lua_getfield(L, -1, to_luastring("tcp"));
  lua.lua_pushjsclosure(L, connectShortcut, 1);
  lua.lua_setfield(L, -2, to_luastring("connect"));
  setFunction(L, "udp", (L) =>
    lauxlib.luaL_error(
      L,
      to_luastring("ngx.socket.udp is not supported by this simulator yet"),
    ),
  );
  lua.lua_setfield(L, -2, to_luastring("socket"));
}

/** ngx.socket.connect: calls tcp() and then the socket's connect. */
function connectShortcut(L: LuaState): number {
  const n = lua.lua_gettop(L);
  lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
  lua.lua_call(L, 0, 1);
  lua.lua_getfield(L, n + 1, to_luastring("connect"));
  lua.lua_pushvalue(L, n + 1);
  for (let i = 1; i <= n; i++) lua.lua_pushvalue(L, i);
  lua.lua_callk(L, n + 1, 2, n, finishConnect);
  return finishConnect(L, lua.LUA_OK, n);
}

/** ngx.socket.connect's results: the socket on success, else nil, err. */
function finishConnect(L: LuaState, _status: number, n: number): number {
  if (!lua.lua_toboolean(L, n + 2)) return 2;
  lua.lua_settop(L, n + 1);
  return 1;
}
