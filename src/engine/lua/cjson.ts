/**
 * OpenResty's lua-cjson as the modules `cjson` and `cjson.safe`: encode,
 * decode, the configuration functions, cjson.null (the same light userdata
 * as ngx.null), cjson.empty_array, cjson.array_mt, cjson.empty_array_mt and
 * cjson.new(). cjson raises errors; cjson.safe returns nil and the message.
 * Each module table (and each cjson.new() instance) has its own settings.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { NGX_NULL } from "./ngx/outputArgs";
import { CjsonEncoder, CjsonEncodeError, raisePlain } from "./cjsonEncode";
import { CjsonDecoder, CjsonDecodeError } from "./cjsonDecode";

type LuaState = unknown;

/** Settings of one cjson instance, with lua-cjson's defaults. */
export interface CjsonConfig {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  numberPrecision: number;
  emptyTableAsObject: boolean;
  decodeArrayWithArrayMt: boolean;
  escapeForwardSlash: boolean;
  keepBuffer: boolean;
  encodeInvalidNumbers: "off" | "on" | "null";
  decodeInvalidNumbers: boolean;
}

/** Values shared by every cjson instance of one Lua VM. */
export interface CjsonShared {
  nullPointer: object;
  emptyArrayPointer: object;
  /** Registry references of array_mt and empty_array_mt. */
  arrayMtRef: number;
  emptyArrayMtRef: number;
}

/**
 * cjson._VERSION. NOTE: not checked against a running OpenResty 1.27.1.2;
 * its bundled lua-cjson may report another 2.1.0.x version.
 */
const CJSON_VERSION = "2.1.0.14";

function defaultConfig(): CjsonConfig {
  return {
    sparseConvert: false,
    sparseRatio: 2,
    sparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    numberPrecision: 14,
    emptyTableAsObject: true,
    decodeArrayWithArrayMt: false,
    escapeForwardSlash: true,
    keepBuffer: true,
    encodeInvalidNumbers: "off",
    decodeInvalidNumbers: true,
  };
}

function setFn(L: LuaState, name: string, fn: (L: LuaState) => number): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setfield(L, -2, to_luastring(name));
}

function checkArgCount(L: LuaState, count: number): void {
  if (lua.lua_gettop(L) !== count) {
    lauxlib.luaL_argerror(L, 1, to_luastring(`expected ${count} argument`));
  }
}

/** Runs an encode or decode body, turning its errors into Lua errors or nil, err. */
function guarded(isSafe: boolean, body: (L: LuaState) => number): (L: LuaState) => number {
  return (L) => {
    let message: string;
    try {
      return body(L);
    } catch (error) {
      if (!(error instanceof CjsonEncodeError || error instanceof CjsonDecodeError)) throw error;
      message = error.message;
    }
    if (!isSafe) return raisePlain(L, message);
    lua.lua_pushnil(L);
    lua.lua_pushstring(L, to_luastring(message));
    return 2;
  };
}

function booleanOption(
  L: LuaState,
  index: number,
  current: boolean,
): boolean {
  if (lua.lua_isnoneornil(L, index)) return current;
  if (lua.lua_isboolean(L, index)) return lua.lua_toboolean(L, index);
  const names = ["off", "on"].map((s) => to_luastring(s));
  const choice = lauxlib.luaL_checkoption(L, index, null, names);
  return choice === 1;
}

function integerOption(
  L: LuaState,
  index: number,
  current: number,
  min: number,
  max: number,
): number {
  if (lua.lua_isnoneornil(L, index)) return current;
  const value = lauxlib.luaL_checkinteger(L, index);
  if (value < min || value > max) {
    lauxlib.luaL_argerror(L, 1, to_luastring(`expected integer between ${min} and ${max}`));
  }
  return value;
}

type BooleanSetting =
  | "emptyTableAsObject"
  | "decodeArrayWithArrayMt"
  | "escapeForwardSlash"
  | "keepBuffer"
  | "decodeInvalidNumbers";
type IntegerSetting = "encodeMaxDepth" | "decodeMaxDepth" | "numberPrecision";

function installOptions(L: LuaState, config: CjsonConfig): void {
  const boolSetting = (name: string, key: BooleanSetting) =>
    setFn(L, name, (L) => {
      config[key] = booleanOption(L, 1, config[key]);
      lua.lua_pushboolean(L, config[key]);
      return 1;
    });
  boolSetting("encode_empty_table_as_object", "emptyTableAsObject");
  boolSetting("decode_array_with_array_mt", "decodeArrayWithArrayMt");
  boolSetting("encode_escape_forward_slash", "escapeForwardSlash");
  boolSetting("encode_keep_buffer", "keepBuffer");
  boolSetting("decode_invalid_numbers", "decodeInvalidNumbers");
  const intSetting = (name: string, key: IntegerSetting, max: number) =>
    setFn(L, name, (L) => {
      config[key] = integerOption(L, 1, config[key], 1, max);
      lua.lua_pushinteger(L, config[key]);
      return 1;
    });
  intSetting("encode_max_depth", "encodeMaxDepth", 0x7fffffff);
  intSetting("decode_max_depth", "decodeMaxDepth", 0x7fffffff);
  intSetting("encode_number_precision", "numberPrecision", 16);
  setFn(L, "encode_sparse_array", (L) => {
    config.sparseConvert = booleanOption(L, 1, config.sparseConvert);
    config.sparseRatio = integerOption(L, 2, config.sparseRatio, 0, 0x7fffffff);
    config.sparseSafe = integerOption(L, 3, config.sparseSafe, 0, 0x7fffffff);
    lua.lua_pushboolean(L, config.sparseConvert);
    lua.lua_pushinteger(L, config.sparseRatio);
    lua.lua_pushinteger(L, config.sparseSafe);
    return 3;
  });
  setFn(L, "encode_invalid_numbers", (L) => {
    if (lua.lua_isboolean(L, 1)) {
      config.encodeInvalidNumbers = lua.lua_toboolean(L, 1) ? "on" : "off";
    } else if (!lua.lua_isnoneornil(L, 1)) {
      const names = ["off", "on", "null"] as const;
      const choice = lauxlib.luaL_checkoption(L, 1, null, names.map((s) => to_luastring(s)));
      config.encodeInvalidNumbers = names[choice];
    }
    const value = config.encodeInvalidNumbers;
    if (value === "null") lua.lua_pushstring(L, to_luastring("null"));
    else lua.lua_pushboolean(L, value === "on");
    return 1;
  });
}

/** Pushes a new cjson module table with its own settings. */
function pushModule(L: LuaState, shared: CjsonShared, isSafe: boolean): void {
  const config = defaultConfig();
  lua.lua_newtable(L);
  setFn(
    L,
    "encode",
    guarded(isSafe, (L) => {
      checkArgCount(L, 1);
      const json = new CjsonEncoder(L, config, shared).encode();
      lua.lua_settop(L, 1);
      lua.lua_pushstring(L, json);
      return 1;
    }),
  );
  setFn(
    L,
    "decode",
    guarded(isSafe, (L) => {
      checkArgCount(L, 1);
      const data = lauxlib.luaL_checklstring(L, 1);
      new CjsonDecoder(L, data, config, shared).decode();
      return 1;
    }),
  );
  installOptions(L, config);
  setFn(L, "new", (L) => {
    pushModule(L, shared, isSafe);
    return 1;
  });
  lua.lua_pushlightuserdata(L, shared.nullPointer);
  lua.lua_setfield(L, -2, to_luastring("null"));
  lua.lua_pushlightuserdata(L, shared.emptyArrayPointer);
  lua.lua_setfield(L, -2, to_luastring("empty_array"));
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, shared.arrayMtRef);
  lua.lua_setfield(L, -2, to_luastring("array_mt"));
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, shared.emptyArrayMtRef);
  lua.lua_setfield(L, -2, to_luastring("empty_array_mt"));
  lua.lua_pushstring(L, to_luastring(isSafe ? "cjson.safe" : "cjson"));
  lua.lua_setfield(L, -2, to_luastring("_NAME"));
  lua.lua_pushstring(L, to_luastring(CJSON_VERSION));
  lua.lua_setfield(L, -2, to_luastring("_VERSION"));
}

/** Registers `cjson` and `cjson.safe` in package.preload of L. */
export function installCjson(L: LuaState): void {
  lua.lua_newtable(L);
  const arrayMtRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  lua.lua_newtable(L);
  const emptyArrayMtRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  const shared: CjsonShared = {
    nullPointer: NGX_NULL,
    emptyArrayPointer: { name: "cjson.empty_array" },
    arrayMtRef,
    emptyArrayMtRef,
  };
  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_getfield(L, -1, to_luastring("preload"));
  for (const [name, isSafe] of [
    ["cjson", false],
    ["cjson.safe", true],
  ] as const) {
    lua.lua_pushjsfunction(L, (L: LuaState) => {
      pushModule(L, shared, isSafe);
      return 1;
    });
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  lua.lua_pop(L, 2);
}
