/**
 * `require` and the `package` table of LuaJIT 2.1, reading Lua modules from
 * the workspace instead of the file system. C modules never load, but their
 * searchers still list the package.cpath candidates so that a missing
 * module's message matches LuaJIT's, line for line.
 */
import { lua, lauxlib, to_luastring, to_jsstring } from "fengari";
import type { LuaCFunction, LuaState } from "fengari";

/** What the package library needs from its host. */
/**
 * Called after require loaded a module, with its value on L's stack top;
 * the race detector uses it to watch module tables.
 */
export type ModuleLoadedHook = (L: LuaState, name: string) => void;

/** Sets the hook require calls after loading a module in L's VM. */
export function setModuleLoadedHook(L: LuaState, hook: ModuleLoadedHook | null): void {
  (L as unknown as { l_G: { onModuleLoaded?: ModuleLoadedHook } }).l_G.onModuleLoaded = hook ?? undefined;
}

export interface PackageHost {
  /** Workspace file contents by path, or null when there is no such file. */
  readFile(path: string): string | null;
  packagePath: string;
  packageCpath: string;
}

function pushString(L: LuaState, text: string): void {
  lua.lua_pushstring(L, to_luastring(text));
}

/** Reads package[field] as a JavaScript string (empty when not a string). */
function packageField(L: LuaState, field: string): string {
  lua.lua_getfield(L, lua.lua_upvalueindex(1), to_luastring(field));
  const value = lua.lua_tostring(L, -1);
  lua.lua_pop(L, 1);
  return value === null ? "" : to_jsstring(value);
}

/** The candidate file names of `name` in a ';'-separated template path. */
function candidates(path: string, name: string): string[] {
  const fileName = name.split(".").join("/");
  return path
    .split(";")
    .filter((template) => template.length > 0)
    .map((template) => template.split("?").join(fileName));
}

function notFound(paths: string[]): string {
  return paths.map((path) => `\n\tno file '${path}'`).join("");
}

function preloadSearcher(L: LuaState): number {
  const name = lauxlib.luaL_checkstring(L, 1);
  lua.lua_getfield(L, lua.lua_upvalueindex(1), to_luastring("preload"));
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
    return lauxlib.luaL_error(L, to_luastring("'package.preload' must be a table"));
  }
  lua.lua_getfield(L, -1, name);
  if (lua.lua_isnil(L, -1)) {
    pushString(L, `\n\tno field package.preload['${to_jsstring(name)}']`);
  }
  return 1;
}

function luaSearcher(host: PackageHost): LuaCFunction {
  return (L) => {
    const name = to_jsstring(lauxlib.luaL_checkstring(L, 1));
    const paths = candidates(packageField(L, "path"), name);
    for (const path of paths) {
      const source = host.readFile(path);
      if (source === null) continue;
      const status = lauxlib.luaL_loadbufferx(
        L,
        to_luastring(source),
        null,
        to_luastring("@" + path),
        to_luastring("t"),
      );
      if (status !== lua.LUA_OK) {
        const message = to_jsstring(lua.lua_tostring(L, -1));
        return lauxlib.luaL_error(
          L,
          to_luastring(
            `error loading module '${name}' from file '${path}':\n\t${message}`,
          ),
        );
      }
      return 1;
    }
    pushString(L, notFound(paths));
    return 1;
  };
}

/** LuaJIT's C searcher: lists package.cpath candidates, loads nothing. */
function cSearcher(L: LuaState): number {
  const name = to_jsstring(lauxlib.luaL_checkstring(L, 1));
  pushString(L, notFound(candidates(packageField(L, "cpath"), name)));
  return 1;
}

/** LuaJIT's all-in-one searcher: tries the root name ("a" of "a.b.c"). */
function cRootSearcher(L: LuaState): number {
  const name = to_jsstring(lauxlib.luaL_checkstring(L, 1));
  const dot = name.indexOf(".");
  if (dot < 0) return 0;
  const root = name.slice(0, dot);
  pushString(L, notFound(candidates(packageField(L, "cpath"), root)));
  return 1;
}

/** Raises `message` with the position of require's caller, as LuaJIT does. */
function raiseAtCaller(L: LuaState, message: string): number {
  lauxlib.luaL_where(L, 1);
  pushString(L, message);
  lua.lua_concat(L, 2);
  return lua.lua_error(L);
}

/** Sentinel stored in package.loaded while a module is loading. */
const LOADING = { loading: true };

/**
 * Where OpenResty's require raises "loop or previous error": lua-resty-core
 * wraps require in resty/core/base.lua, and its message carries that
 * position. After a module's top level failed, package.loaded holds a
 * number there (seen on OpenResty 1.27.1.2); NaN stands for it here.
 */
const RESTY_CORE_REQUIRE = "/usr/share/lua/5.1/resty/core/base.lua:80: ";

/** Calls the searchers in order; leaves the loader on the stack top. */
function findLoader(L: LuaState, name: string): void {
  lua.lua_getfield(L, lua.lua_upvalueindex(1), to_luastring("loaders"));
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
    raiseAtCaller(L, "'package.loaders' must be a table");
  }
  const searchers = lua.lua_gettop(L);
  let messages = "";
  for (let i = 1; ; i++) {
    if (lua.lua_rawgeti(L, searchers, i) === lua.LUA_TNIL) {
      raiseAtCaller(L, `module '${name}' not found:${messages}`);
    }
    pushString(L, name);
    lua.lua_call(L, 1, 1);
    if (lua.lua_type(L, -1) === lua.LUA_TFUNCTION) break;
    if (lua.lua_isstring(L, -1)) messages += to_jsstring(lua.lua_tostring(L, -1));
    lua.lua_pop(L, 1);
  }
  lua.lua_remove(L, searchers);
}

function requireModule(L: LuaState): number {
  const nameBytes = lauxlib.luaL_checkstring(L, 1);
  const name = to_jsstring(nameBytes);
  lua.lua_settop(L, 1);
  lauxlib.luaL_getsubtable(L, lua.LUA_REGISTRYINDEX, to_luastring("_LOADED"));
  lua.lua_getfield(L, 2, nameBytes);
  const isFailed =
    lua.lua_type(L, -1) === lua.LUA_TNUMBER && Number.isNaN(lua.lua_tonumber(L, -1));
  if (isFailed || lua.lua_touserdata(L, -1) === LOADING) {
    pushString(L, `${RESTY_CORE_REQUIRE}loop or previous error loading module '${name}'`);
    return lua.lua_error(L);
  }
  if (lua.lua_toboolean(L, -1)) return 1;
  lua.lua_pop(L, 1);
  findLoader(L, name);
  lua.lua_pushlightuserdata(L, LOADING);
  lua.lua_setfield(L, 2, nameBytes);
  lua.lua_pushvalue(L, 1);
  // A failing top level leaves the "previous error" mark behind.
  lua.lua_pushnumber(L, NaN);
  lua.lua_setfield(L, 2, nameBytes);
  lua.lua_call(L, 1, 1);
  if (!lua.lua_isnil(L, -1)) lua.lua_setfield(L, 2, nameBytes);
  lua.lua_getfield(L, 2, nameBytes);
  const isUnset =
    lua.lua_type(L, -1) === lua.LUA_TNUMBER && Number.isNaN(lua.lua_tonumber(L, -1));
  if (isUnset) {
    lua.lua_pop(L, 1);
    lua.lua_pushboolean(L, 1);
    lua.lua_pushvalue(L, -1);
    lua.lua_setfield(L, 2, nameBytes);
  }
  (L as unknown as { l_G: { onModuleLoaded?: ModuleLoadedHook } }).l_G.onModuleLoaded?.(L, name);
  return 1;
}

function setStringField(L: LuaState, field: string, value: string): void {
  pushString(L, value);
  lua.lua_setfield(L, -2, to_luastring(field));
}

function pushSearchers(L: LuaState, host: PackageHost, packageIndex: number): void {
  const searchers: LuaCFunction[] = [
    preloadSearcher,
    luaSearcher(host),
    cSearcher,
    cRootSearcher,
  ];
  lua.lua_createtable(L, searchers.length, 0);
  searchers.forEach((searcher, i) => {
    lua.lua_pushvalue(L, packageIndex);
    lua.lua_pushjsclosure(L, searcher, 1);
    lua.lua_rawseti(L, -2, i + 1);
  });
}

/**
 * Creates the global `package` table (loaded, preload, path, cpath,
 * loaders and its Lua 5.2 name searchers) and the global `require`.
 * There is no package.loadlib: nothing outside the workspace can load.
 */
export function installPackageLibrary(L: LuaState, host: PackageHost): void {
  lua.lua_createtable(L, 0, 8);
  const packageIndex = lua.lua_gettop(L);
  setStringField(L, "path", host.packagePath);
  setStringField(L, "cpath", host.packageCpath);
  setStringField(L, "config", "/\n;\n?\n!\n-\n");
  lauxlib.luaL_getsubtable(L, lua.LUA_REGISTRYINDEX, to_luastring("_LOADED"));
  lua.lua_setfield(L, packageIndex, to_luastring("loaded"));
  lauxlib.luaL_getsubtable(L, lua.LUA_REGISTRYINDEX, to_luastring("_PRELOAD"));
  lua.lua_setfield(L, packageIndex, to_luastring("preload"));
  // LuaJIT (5.1) calls the list package.loaders and has no package.searchers.
  pushSearchers(L, host, packageIndex);
  lua.lua_setfield(L, packageIndex, to_luastring("loaders"));

  lua.lua_pushvalue(L, packageIndex);
  lua.lua_pushjsclosure(L, requireModule, 1);
  lua.lua_setglobal(L, to_luastring("require"));

  lauxlib.luaL_getsubtable(L, lua.LUA_REGISTRYINDEX, to_luastring("_LOADED"));
  lua.lua_pushvalue(L, packageIndex);
  lua.lua_setfield(L, -2, to_luastring("package"));
  lua.lua_pop(L, 1);
  lua.lua_setglobal(L, to_luastring("package"));
}
