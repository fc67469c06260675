/**
 * ngx.location.capture and ngx.location.capture_multi, with the argument
 * checks and messages of lua-nginx-module's ngx_http_lua_subrequest.c,
 * and the ngx.is_subrequest field. The calling thread yields until every
 * subrequest has finished; the handler's scheduler runs them.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import type { SubrequestSpec } from "../../phases/subrequest";
import { encodeArgsTable } from "./ngxCore";
import { bytesToText, logText, setFunction } from "./luaStack";
import { requireContext, requireRequest, type NgxRuntime } from "./runtime";

type LuaState = unknown;

/** Method names by the ngx.HTTP_* constants that capture's `method` takes. */
const METHOD_NAMES = new Map<number, string>([
  [2, "GET"],
  [4, "HEAD"],
  [8, "POST"],
  [16, "PUT"],
  [32, "DELETE"],
  [64, "MKCOL"],
  [128, "COPY"],
  [256, "MOVE"],
  [512, "OPTIONS"],
  [1024, "PROPFIND"],
  [2048, "PROPPATCH"],
  [4096, "LOCK"],
  [8192, "UNLOCK"],
  [16384, "PATCH"],
  [32768, "TRACE"],
]);

function raise(L: LuaState, message: string): never {
  lauxlib.luaL_error(L, to_luastring(message));
  throw new Error("unreachable: luaL_error returned");
}

function captureMulti(rt: NgxRuntime, L: LuaState): number {
  const n = lua.lua_gettop(L);
  if (n !== 1) raise(L, `only one argument is expected, but got ${n}`);
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  const count = lua.lua_rawlen(L, 1);
  if (count === 0) raise(L, "at least one subrequest should be specified");
  requireContext(rt, L, ["rewrite", "access", "content"]);
  const specs: SubrequestSpec[] = [];
  for (let index = 0; index < count; index++) {
    lua.lua_rawgeti(L, 1, index + 1);
    specs.push(readQuery(L, index));
    lua.lua_pop(L, 1);
  }
  return rt.vm.yieldToHost(L, { op: "capture", specs });
}

/** Reads `{uri, opts?}` at the stack top (subrequest number `index`). */
function readQuery(L: LuaState, index: number): SubrequestSpec {
  const query = lua.lua_gettop(L);
  const type = lua.lua_type(L, query);
  if (type === lua.LUA_TNIL) raise(L, "only array-like tables are allowed");
  if (type !== lua.LUA_TTABLE) {
    const name = bytesToText(lua.lua_typename(L, type));
    raise(L, `the query argument ${index} is not a table, but a ${name}`);
  }
  const nargs = lua.lua_rawlen(L, query);
  if (nargs !== 1 && nargs !== 2) {
    raise(L, `query argument ${index} expecting one or two arguments`);
  }
  const spec: SubrequestSpec = {
    uri: "",
    args: "",
    method: "GET",
    body: null,
    ctxRef: null,
    vars: [],
    shareAllVars: false,
    copyAllVars: false,
  };
  if (nargs === 2) {
    lua.lua_rawgeti(L, query, 2);
    readOptions(L, index, spec);
    lua.lua_pop(L, 1);
  }
  lua.lua_rawgeti(L, query, 1);
  spec.uri = bytesToText(lauxlib.luaL_checklstring(L, -1));
  lua.lua_pop(L, 1);
  if (/(^|\/)\.\.(\/|$|\?)/.test(spec.uri)) {
    raise(L, `unsafe uri in argument #1: ${spec.uri}`);
  }
  return spec;
}

/** Reads the options table at the stack top into `spec`. */
function readOptions(L: LuaState, index: number, spec: SubrequestSpec) {
  const opts = lua.lua_gettop(L);
  if (lua.lua_type(L, opts) !== lua.LUA_TTABLE) {
    const name = bytesToText(lauxlib.luaL_typename(L, opts));
    raise(
      L,
      `expecting table as the 2nd argument for subrequest ${index}, ` +
        `but got ${name}`,
    );
  }
  const field = (name: string) =>
    lua.lua_getfield(L, opts, to_luastring(name));

  field("args");
  spec.args = readArgsOption(L);
  lua.lua_pop(L, 1);

  field("vars");
  spec.vars = readKeyValues(L, "Bad vars option value");
  lua.lua_pop(L, 1);

  field("share_all_vars");
  spec.shareAllVars = readFlag(L, "Bad share_all_vars option value");
  lua.lua_pop(L, 1);

  field("copy_all_vars");
  spec.copyAllVars = readFlag(L, "Bad copy_all_vars option value");
  lua.lua_pop(L, 1);

  field("method");
  spec.method = readMethod(L);
  lua.lua_pop(L, 1);

  field("ctx");
  spec.ctxRef = readCtx(L);

  field("body");
  spec.body = readBody(L);
  lua.lua_pop(L, 1);
}

function readArgsOption(L: LuaState): string {
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TTABLE:
      return encodeArgsTable(L, -1);
    case lua.LUA_TNIL:
      return "";
    case lua.LUA_TNUMBER:
    case lua.LUA_TSTRING:
      return logText(L, -1);
    default:
      return raise(L, "Bad args option value");
  }
}

function readKeyValues(L: LuaState, badValue: string): Array<[string, string]> {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TNIL) return [];
  if (type !== lua.LUA_TTABLE) raise(L, badValue);
  const table = lua.lua_gettop(L);
  const pairs: Array<[string, string]> = [];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, table)) {
    if (lua.lua_type(L, -2) !== lua.LUA_TSTRING) {
      raise(L, 'attempt to use a non-string key in the "vars" option table');
    }
    if (!lua.lua_isstring(L, -1)) {
      const name = bytesToText(lauxlib.luaL_typename(L, -1));
      raise(L, `attempt to use bad variable value type ${name}`);
    }
    pairs.push([logText(L, -2), logText(L, -1)]);
    lua.lua_pop(L, 1);
  }
  return pairs;
}

function readFlag(L: LuaState, badValue: string): boolean {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TNIL) return false;
  if (type !== lua.LUA_TBOOLEAN) raise(L, badValue);
  return lua.lua_toboolean(L, -1);
}

function readMethod(L: LuaState): string {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TNIL) return "GET";
  if (type !== lua.LUA_TNUMBER) raise(L, "Bad http request method");
  const name = METHOD_NAMES.get(lua.lua_tonumber(L, -1));
  // NOTE: nginx logs "unsupported HTTP method" and fails the subrequest;
  // this rejects the call at once instead.
  if (!name) raise(L, "unsupported HTTP method");
  return name!;
}

/** Pops the `ctx` option; returns a registry reference to the table. */
function readCtx(L: LuaState): number | null {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TNIL) {
    lua.lua_pop(L, 1);
    return null;
  }
  if (type !== lua.LUA_TTABLE) {
    const name = bytesToText(lua.lua_typename(L, type));
    raise(L, `Bad ctx option value type ${name}, expected a Lua table`);
  }
  return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
}

function readBody(L: LuaState): string | null {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TNIL) return null;
  if (type !== lua.LUA_TSTRING && type !== lua.LUA_TNUMBER) {
    raise(L, "Bad http request body");
  }
  return logText(L, -1);
}

/** ngx.location.capture(uri, opts?): capture_multi with one query. */
function capture(rt: NgxRuntime, L: LuaState): number {
  const n = lua.lua_gettop(L);
  if (n !== 1 && n !== 2) raise(L, "expecting one or two arguments");
  lua.lua_createtable(L, n, 0);
  lua.lua_insert(L, 1);
  for (let i = n; i >= 1; i--) lua.lua_rawseti(L, 1, i);
  lua.lua_createtable(L, 1, 0);
  lua.lua_insert(L, 1);
  lua.lua_rawseti(L, 1, 1);
  return captureMulti(rt, L);
}

/**
 * Adds ngx.is_subrequest to the `__index` of the ngx table's metatable,
 * which ngxCore installs for ngx.status and ngx.ctx.
 */
function installIsSubrequest(rt: NgxRuntime, L: LuaState): void {
  if (!lua.lua_getmetatable(L, -1)) return;
  lua.lua_getfield(L, -1, to_luastring("__index"));
  lua.lua_pushjsclosure(
    L,
    (L: LuaState) => {
      const key = lua.lua_tolstring(L, 2);
      if (key && bytesToText(key) === "is_subrequest") {
        lua.lua_pushboolean(L, requireRequest(rt, L).parent !== null);
        return 1;
      }
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
      lua.lua_insert(L, 1);
      lua.lua_call(L, lua.lua_gettop(L) - 1, 1);
      return 1;
    },
    1,
  );
  lua.lua_setfield(L, -2, to_luastring("__index"));
  lua.lua_pop(L, 1);
}

/**
 * Fills the `ngx` table at the stack top with `ngx.location` and
 * ngx.is_subrequest; call after installCore.
 */
export function installLocation(rt: NgxRuntime, L: LuaState): void {
  lua.lua_createtable(L, 0, 2);
  setFunction(L, "capture", (L) => capture(rt, L));
  setFunction(L, "capture_multi", (L) => captureMulti(rt, L));
  lua.lua_setfield(L, -2, to_luastring("location"));
  installIsSubrequest(rt, L);
}
