/**
 * ngx.var and ngx.header: tables whose reads and writes go to the running
 * request's nginx variables and response headers. Variables are strings
 * (numbers written to them are stored as text), as in nginx.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { bytesToText, logText, pushText, setFunction } from "./luaStack";
import { logWithContext } from "./ngxCore";
import { requireRequest, type NgxRuntime } from "./runtime";
import type { HttpRequest } from "../../phases/httpRequest";

type LuaState = unknown;

function keyText(L: LuaState): string {
  return bytesToText(lauxlib.luaL_checklstring(L, 2));
}

function installVar(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  setFunction(L, "__index", (L) => {
    const r = requireRequest(rt, L);
    if (lua.lua_type(L, 2) === lua.LUA_TNUMBER) {
      const capture = r.captures[lua.lua_tonumber(L, 2)];
      if (capture === undefined) lua.lua_pushnil(L);
      else pushText(L, capture);
      return 1;
    }
    const value = rt.variable(r, keyText(L));
    if (value === null) lua.lua_pushnil(L);
    else pushText(L, value);
    return 1;
  });
  setFunction(L, "__newindex", (L) => {
    const r = requireRequest(rt, L);
    const name = keyText(L);
    const type = lua.lua_type(L, 3);
    let value: string | null;
    if (type === lua.LUA_TNIL) value = null;
    else if (type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER) {
      value = logText(L, 3);
    } else {
      return lauxlib.luaL_error(
        L,
        to_luastring(
          `bad variable value type: ${bytesToText(lauxlib.luaL_typename(L, 3))}`,
        ),
      );
    }
    const error = rt.setVariable(r, name, value);
    if (error) return lauxlib.luaL_error(L, to_luastring(error));
    return 0;
  });
  lua.lua_setmetatable(L, -2);
  lua.lua_setfield(L, -2, to_luastring("var"));
}

/** Normalises a Lua-side header name: `content_type` -> `content-type`. */
function headerName(name: string): string {
  return name.replace(/_/g, "-");
}

/** Reads a response header of a request by case-insensitive name. */
export function getOutHeader(r: HttpRequest, name: string): string[] {
  const lower = name.toLowerCase();
  if (lower === "content-type") return r.contentType === null ? [] : [r.contentType];
  return r.headersOut.filter((h) => h.name.toLowerCase() === lower).map((h) => h.value);
}

function setOutHeader(r: HttpRequest, name: string, values: string[]): void {
  const lower = name.toLowerCase();
  if (lower === "content-type") {
    r.contentType = values.length ? values[values.length - 1] : null;
    return;
  }
  if (lower === "content-length") {
    r.contentLength = values.length ? Number(values[values.length - 1]) : null;
  }
  r.headersOut = r.headersOut.filter((h) => h.name.toLowerCase() !== lower);
  for (const value of values) r.headersOut.push({ name, value });
}

function installHeader(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  setFunction(L, "__index", (L) => {
    const r = requireRequest(rt, L);
    const values = getOutHeader(r, headerName(keyText(L)));
    if (values.length === 0) lua.lua_pushnil(L);
    else if (values.length === 1) pushText(L, values[0]);
    else {
      lua.lua_createtable(L, values.length, 0);
      values.forEach((v, i) => {
        pushText(L, v);
        lua.lua_rawseti(L, -2, i + 1);
      });
    }
    return 1;
  });
  setFunction(L, "__newindex", (L) => {
    const r = requireRequest(rt, L);
    const name = headerName(keyText(L));
    if (r.isHeaderSent) {
      logWithContext(
        rt,
        "error",
        `attempt to set ngx.header.HEADER after sending out response headers`,
      );
      return 0;
    }
    const values: string[] = [];
    if (lua.lua_type(L, 3) === lua.LUA_TTABLE) {
      const n = lua.lua_rawlen(L, 3);
      for (let i = 1; i <= n; i++) {
        lua.lua_rawgeti(L, 3, i);
        values.push(logText(L, -1));
        lua.lua_pop(L, 1);
      }
    } else if (!lua.lua_isnil(L, 3)) {
      values.push(logText(L, 3));
    }
    setOutHeader(r, name, values);
    return 0;
  });
  lua.lua_setmetatable(L, -2);
  lua.lua_setfield(L, -2, to_luastring("header"));
}

/** ngx.resp.get_headers: the response headers with lower-cased names. */
function installResp(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, "get_headers", (L) => {
    const r = requireRequest(rt, L);
    lua.lua_newtable(L);
    const pairs = r.headersOut.map((h) => [h.name.toLowerCase(), h.value] as const);
    if (r.contentType !== null) pairs.unshift(["content-type", r.contentType]);
    for (const [name, value] of pairs) {
      lua.lua_getfield(L, -1, to_luastring(name));
      const existing = lua.lua_type(L, -1);
      lua.lua_pop(L, 1);
      if (existing === lua.LUA_TNIL) {
        pushText(L, value);
        lua.lua_setfield(L, -2, to_luastring(name));
      } else if (existing === lua.LUA_TTABLE) {
        lua.lua_getfield(L, -1, to_luastring(name));
        pushText(L, value);
        lua.lua_rawseti(L, -2, lua.lua_rawlen(L, -2) + 1);
        lua.lua_pop(L, 1);
      } else {
        lua.lua_createtable(L, 2, 0);
        lua.lua_getfield(L, -2, to_luastring(name));
        lua.lua_rawseti(L, -2, 1);
        pushText(L, value);
        lua.lua_rawseti(L, -2, 2);
        lua.lua_setfield(L, -2, to_luastring(name));
      }
    }
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("resp"));
}

/**
 * ngx.arg: the chunk and eof flag in body_filter_by_lua (both writable),
 * or the directive's extra arguments in set_by_lua.
 */
function installArg(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  setFunction(L, "__index", (L) => {
    const n = lua.lua_tonumber(L, 2);
    const ctx = rt.current;
    if (ctx?.bodyFilter) {
      if (n === 1) lua.lua_pushstring(L, ctx.bodyFilter.chunk);
      else if (n === 2) lua.lua_pushboolean(L, ctx.bodyFilter.eof);
      else lua.lua_pushnil(L);
      return 1;
    }
    const value = ctx?.setArgs?.[n - 1];
    if (value === undefined) lua.lua_pushnil(L);
    else pushText(L, value);
    return 1;
  });
  setFunction(L, "__newindex", (L) => {
    const n = lua.lua_tonumber(L, 2);
    const filter = rt.current?.bodyFilter;
    if (!filter) return 0;
    if (n === 1) {
      const type = lua.lua_type(L, 3);
      filter.chunk =
        type === lua.LUA_TNIL
          ? new Uint8Array(0)
          : type === lua.LUA_TSTRING
            ? lua.lua_tolstring(L, 3)
            : to_luastring(logText(L, 3));
    } else if (n === 2) {
      filter.eof = lua.lua_toboolean(L, 3);
    }
    return 0;
  });
  lua.lua_setmetatable(L, -2);
  lua.lua_setfield(L, -2, to_luastring("arg"));
}

/** Fills the `ngx` table at the stack top with ngx.var, header and arg. */
export function installVariables(rt: NgxRuntime, L: LuaState): void {
  installVar(rt, L);
  installHeader(rt, L);
  installArg(rt, L);
  installResp(rt, L);
}
