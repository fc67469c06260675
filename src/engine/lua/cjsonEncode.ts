/**
 * cjson.encode with lua-cjson's rules (OpenResty's fork): tables whose
 * keys are 1..n are arrays, excessively sparse arrays raise (or become
 * objects), an empty table is "{}" unless configured otherwise, numbers
 * print with "%.<precision>g", and strings escape `/` as `\/`.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { formatLuaNumber } from "./numberFormat";
import type { CjsonConfig, CjsonShared } from "./cjson";

type LuaState = unknown;

/** An encode failure; the caller raises it as a Lua error. */
export class CjsonEncodeError extends Error {}

const ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: "\\\\",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x7f: "\\u007f",
};

function escapeString(bytes: Uint8Array, config: CjsonConfig, out: number[]): void {
  out.push(0x22);
  for (const b of bytes) {
    let escape = ESCAPES[b];
    if (b === 0x2f && config.escapeForwardSlash) escape = "\\/";
    if (escape === undefined && b < 0x20) escape = `\\u${b.toString(16).padStart(4, "0")}`;
    if (escape === undefined) out.push(b);
    else for (let i = 0; i < escape.length; i++) out.push(escape.charCodeAt(i));
  }
  out.push(0x22);
}

/** C's "%.<precision>g". */
export function formatG(n: number, precision: number): string {
  if (precision === 14) return formatLuaNumber(n);
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const exponent = Math.floor(Math.log10(Math.abs(Number(n.toPrecision(precision)))));
  if (exponent < -4 || exponent >= precision) {
    const [mantissa, exp] = n.toExponential(precision - 1).split("e");
    const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    const expNumber = Number(exp);
    const expText = String(Math.abs(expNumber)).padStart(2, "0");
    return `${trimmed}e${expNumber < 0 ? "-" : "+"}${expText}`;
  }
  const fixed = n.toFixed(Math.max(0, precision - 1 - exponent));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

function pushText(out: number[], text: string): void {
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
}

function typeName(L: LuaState, index: number): string {
  return new TextDecoder().decode(lauxlib.luaL_typename(L, index));
}

function encodeNumber(L: LuaState, index: number, config: CjsonConfig, out: number[]): void {
  const n = lua.lua_tonumber(L, index);
  if (Number.isFinite(n)) return pushText(out, formatG(n, config.numberPrecision));
  if (config.encodeInvalidNumbers === "off") {
    throw new CjsonEncodeError(
      `Cannot serialise ${typeName(L, index)}: must not be NaN or Infinity`,
    );
  }
  if (config.encodeInvalidNumbers === "null") return pushText(out, "null");
  if (Number.isNaN(n)) pushText(out, "NaN");
  else pushText(out, n < 0 ? "-Infinity" : "Infinity");
}

/** Length of the table at the stack top if it is an array, else -1. */
function arrayLength(L: LuaState, config: CjsonConfig): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    const k = lua.lua_type(L, -2) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -2) : 0;
    lua.lua_pop(L, 1);
    if (k >= 1 && Math.floor(k) === k) {
      max = Math.max(max, k);
      items++;
      continue;
    }
    lua.lua_pop(L, 1);
    return -1;
  }
  const isSparse =
    config.sparseRatio > 0 &&
    max > items * config.sparseRatio &&
    max > config.sparseSafe;
  if (!isSparse) return max;
  if (!config.sparseConvert) {
    throw new CjsonEncodeError("Cannot serialise table: excessively sparse array");
  }
  return -1;
}

/** Encodes Lua values as JSON bytes. */
export class CjsonEncoder {
  private readonly out: number[] = [];

  constructor(
    private readonly L: LuaState,
    private readonly config: CjsonConfig,
    private readonly shared: CjsonShared,
  ) {}

  /** Encodes the value at the stack top. */
  encode(): Uint8Array {
    this.value(0);
    return Uint8Array.from(this.out);
  }

  private value(depth: number): void {
    const L = this.L;
    switch (lua.lua_type(L, -1)) {
      case lua.LUA_TSTRING:
        return escapeString(lua.lua_tolstring(L, -1), this.config, this.out);
      case lua.LUA_TNUMBER:
        return encodeNumber(L, -1, this.config, this.out);
      case lua.LUA_TBOOLEAN:
        return pushText(this.out, lua.lua_toboolean(L, -1) ? "true" : "false");
      case lua.LUA_TNIL:
        return pushText(this.out, "null");
      case lua.LUA_TTABLE:
        return this.table(depth + 1);
      case lua.LUA_TLIGHTUSERDATA: {
        const pointer = lua.lua_touserdata(L, -1);
        if (pointer === this.shared.nullPointer) return pushText(this.out, "null");
        if (pointer === this.shared.emptyArrayPointer) return pushText(this.out, "[]");
        return;
      }
      default:
        throw new CjsonEncodeError(`Cannot serialise ${typeName(L, -1)}: type not supported`);
    }
  }

  private metatableIs(ref: number): boolean {
    const L = this.L;
    if (!lua.lua_getmetatable(L, -1)) return false;
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    const isSame = lua.lua_rawequal(L, -1, -2);
    lua.lua_pop(L, 2);
    return isSame;
  }

  private table(depth: number): void {
    const L = this.L;
    if (depth > this.config.encodeMaxDepth || !lua.lua_checkstack(L, 3)) {
      throw new CjsonEncodeError(`Cannot serialise, excessive nesting (${depth})`);
    }
    if (this.metatableIs(this.shared.arrayMtRef)) return this.array(depth, lua.lua_rawlen(L, -1));
    const length = arrayLength(L, this.config);
    if (length > 0 || (length === 0 && !this.config.emptyTableAsObject)) {
      return this.array(depth, length);
    }
    if (length === 0 && this.metatableIs(this.shared.emptyArrayMtRef)) return this.array(depth, 0);
    this.object(depth);
  }

  private array(depth: number, length: number): void {
    this.out.push(0x5b);
    for (let i = 1; i <= length; i++) {
      if (i > 1) this.out.push(0x2c);
      lua.lua_rawgeti(this.L, -1, i);
      this.value(depth);
      lua.lua_pop(this.L, 1);
    }
    this.out.push(0x5d);
  }

  private object(depth: number): void {
    const L = this.L;
    this.out.push(0x7b);
    let isFirst = true;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      if (!isFirst) this.out.push(0x2c);
      isFirst = false;
      const keyType = lua.lua_type(L, -2);
      if (keyType === lua.LUA_TNUMBER) {
        this.out.push(0x22);
        encodeNumber(L, -2, this.config, this.out);
        this.out.push(0x22);
      } else if (keyType === lua.LUA_TSTRING) {
        escapeString(lua.lua_tolstring(L, -2), this.config, this.out);
      } else {
        throw new CjsonEncodeError(
          `Cannot serialise ${typeName(L, -2)}: table key must be a number or string`,
        );
      }
      this.out.push(0x3a);
      this.value(depth);
      lua.lua_pop(L, 1);
    }
    this.out.push(0x7d);
  }
}

/** Raises `message` as a Lua error with no position, as luaL_error in a C function does. */
export function raisePlain(L: LuaState, message: string): number {
  lua.lua_pushstring(L, to_luastring(message));
  return lua.lua_error(L);
}
