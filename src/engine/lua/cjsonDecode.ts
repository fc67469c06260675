/**
 * cjson.decode with lua-cjson's tokenizer and messages: "Expected value
 * but found invalid token at character 1", token names such as T_END and
 * T_INTEGER, JSON null as the NULL light userdata (ngx.null), and integers
 * beyond 64 bits clamped as C's strtoll does before becoming doubles.
 */
import { lua } from "fengari";
import type { CjsonConfig, CjsonShared } from "./cjson";

type LuaState = unknown;

/** A decode failure; the caller raises it as a Lua error. */
export class CjsonDecodeError extends Error {}

type TokenType =
  | "T_OBJ_BEGIN"
  | "T_OBJ_END"
  | "T_ARR_BEGIN"
  | "T_ARR_END"
  | "T_STRING"
  | "T_NUMBER"
  | "T_INTEGER"
  | "T_BOOLEAN"
  | "T_NULL"
  | "T_COLON"
  | "T_COMMA"
  | "T_END"
  | "T_ERROR";

interface Token {
  type: TokenType;
  /** 0-based byte index where the token (or the error) is. */
  index: number;
  bytes?: Uint8Array;
  number?: number;
  boolean?: boolean;
  error?: string;
}

const SINGLE: Record<number, TokenType> = {
  0x7b: "T_OBJ_BEGIN",
  0x7d: "T_OBJ_END",
  0x5b: "T_ARR_BEGIN",
  0x5d: "T_ARR_END",
  0x3a: "T_COLON",
  0x2c: "T_COMMA",
};
const SIMPLE_ESCAPES: Record<number, number> = {
  0x22: 0x22,
  0x5c: 0x5c,
  0x2f: 0x2f,
  0x62: 0x08,
  0x66: 0x0c,
  0x6e: 0x0a,
  0x72: 0x0d,
  0x74: 0x09,
};
/** The forms C's strtod accepts: hex, inf, infinity, nan and decimals. */
const C_NUMBER =
  /^[-+]?(0[xX][0-9a-fA-F]+|(?:inf(?:inity)?|nan)|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/i;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function startsWith(data: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (data[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function isInvalidNumberStart(data: Uint8Array, at: number): boolean {
  let p = at;
  if (data[p] === 0x2d) p++;
  const head = String.fromCharCode(...data.subarray(p, p + 3)).toLowerCase();
  return head.startsWith("0x") || head === "inf" || head === "nan";
}

/** Parses a JSON text into Lua values on L's stack. */
export class CjsonDecoder {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly L: LuaState,
    private readonly data: Uint8Array,
    private readonly config: CjsonConfig,
    private readonly shared: CjsonShared,
  ) {}

  /** Pushes the decoded value. */
  decode(): void {
    const data = this.data;
    if (data.length >= 2 && (data[0] === 0 || data[1] === 0)) {
      throw new CjsonDecodeError("JSON parser does not support UTF-16 or UTF-32");
    }
    this.value(this.next());
    const last = this.next();
    if (last.type !== "T_END") this.fail("the end", last);
  }

  private fail(expected: string, token: Token): never {
    const found = token.type === "T_ERROR" ? token.error : token.type;
    throw new CjsonDecodeError(
      `Expected ${expected} but found ${found} at character ${token.index + 1}`,
    );
  }

  private error(message: string): Token {
    return { type: "T_ERROR", index: this.pos, error: message };
  }

  private next(): Token {
    const data = this.data;
    while (this.pos < data.length && [0x20, 0x09, 0x0a, 0x0d].includes(data[this.pos])) this.pos++;
    const index = this.pos;
    if (index >= data.length || data[index] === 0) return { type: "T_END", index };
    const ch = data[index];
    const single = SINGLE[ch];
    if (single) {
      this.pos++;
      return { type: single, index };
    }
    if (ch === 0x22) return this.string(index);
    const isNumberStart = ch === 0x2d || (ch >= 0x30 && ch <= 0x39);
    if (isNumberStart && !this.config.decodeInvalidNumbers && isInvalidNumberStart(data, index)) {
      return this.error("invalid number");
    }
    if (isNumberStart) return this.number(index);
    for (const [word, type, value] of [
      ["true", "T_BOOLEAN", true],
      ["false", "T_BOOLEAN", false],
      ["null", "T_NULL", null],
    ] as const) {
      if (startsWith(data, index, word)) {
        this.pos += word.length;
        return { type, index, boolean: value ?? undefined };
      }
    }
    if (this.config.decodeInvalidNumbers && isInvalidNumberStart(data, index)) {
      return this.number(index);
    }
    return this.error("invalid token");
  }

  private number(index: number): Token {
    const text = String.fromCharCode(...this.data.subarray(index, index + 400));
    const integer = /^[-+]?\d+/.exec(text);
    const after = integer ? text.charAt(integer[0].length) : "";
    if (integer && !".eEx".includes(after === "" ? "#" : after)) {
      this.pos = index + integer[0].length;
      let value = BigInt(integer[0]);
      if (value > INT64_MAX) value = INT64_MAX;
      if (value < INT64_MIN) value = INT64_MIN;
      return { type: "T_INTEGER", index, number: Number(value) };
    }
    const m = C_NUMBER.exec(text);
    if (!m) return this.error("invalid number");
    this.pos = index + m[0].length;
    return { type: "T_NUMBER", index, number: parseCNumber(m[0]) };
  }

  private string(index: number): Token {
    const data = this.data;
    const out: number[] = [];
    this.pos = index + 1;
    for (;;) {
      const ch = data[this.pos];
      if (ch === undefined || ch === 0) return this.error("unexpected end of string");
      if (ch === 0x22) break;
      if (ch !== 0x5c) {
        out.push(ch);
        this.pos++;
        continue;
      }
      const escape = data[this.pos + 1];
      if (escape === 0x75) {
        if (!this.unicodeEscape(out)) return this.error("invalid unicode escape code");
        continue;
      }
      const mapped = escape === undefined ? undefined : SIMPLE_ESCAPES[escape];
      if (mapped === undefined) return this.error("invalid escape code");
      out.push(mapped);
      this.pos += 2;
    }
    this.pos++;
    return { type: "T_STRING", index, bytes: Uint8Array.from(out) };
  }

  private hex4(at: number): number {
    const text = String.fromCharCode(...this.data.subarray(at, at + 4));
    return /^[0-9a-fA-F]{4}$/.test(text) ? parseInt(text, 16) : -1;
  }

  private unicodeEscape(out: number[]): boolean {
    let cp = this.hex4(this.pos + 2);
    if (cp < 0 || (cp >= 0xdc00 && cp <= 0xdfff)) return false;
    let length = 6;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      if (this.data[this.pos + 6] !== 0x5c || this.data[this.pos + 7] !== 0x75) return false;
      const low = this.hex4(this.pos + 8);
      if (low < 0xdc00 || low > 0xdfff) return false;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      length = 12;
    }
    out.push(...new TextEncoder().encode(String.fromCodePoint(cp)));
    this.pos += length;
    return true;
  }

  private value(token: Token): void {
    const L = this.L;
    switch (token.type) {
      case "T_STRING":
        return lua.lua_pushstring(L, token.bytes);
      case "T_NUMBER":
      case "T_INTEGER":
        return lua.lua_pushnumber(L, token.number);
      case "T_BOOLEAN":
        return lua.lua_pushboolean(L, token.boolean);
      case "T_NULL":
        return lua.lua_pushlightuserdata(L, this.shared.nullPointer);
      case "T_OBJ_BEGIN":
        return this.object();
      case "T_ARR_BEGIN":
        return this.array();
      default:
        this.fail("value", token);
    }
  }

  private descend(): void {
    this.depth++;
    if (this.depth > this.config.decodeMaxDepth || !lua.lua_checkstack(this.L, 3)) {
      throw new CjsonDecodeError(
        `Found too many nested data structures (${this.depth}) at character ${this.pos}`,
      );
    }
  }

  private object(): void {
    const L = this.L;
    this.descend();
    lua.lua_newtable(L);
    let token = this.next();
    if (token.type === "T_OBJ_END") {
      this.depth--;
      return;
    }
    for (;;) {
      if (token.type !== "T_STRING") this.fail("object key string", token);
      lua.lua_pushstring(L, token.bytes);
      token = this.next();
      if (token.type !== "T_COLON") this.fail("colon", token);
      this.value(this.next());
      lua.lua_rawset(L, -3);
      token = this.next();
      if (token.type === "T_OBJ_END") {
        this.depth--;
        return;
      }
      if (token.type !== "T_COMMA") this.fail("comma or object end", token);
      token = this.next();
    }
  }

  private array(): void {
    const L = this.L;
    this.descend();
    lua.lua_newtable(L);
    if (this.config.decodeArrayWithArrayMt) {
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.shared.arrayMtRef);
      lua.lua_setmetatable(L, -2);
    }
    let token = this.next();
    if (token.type === "T_ARR_END") {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(token);
      lua.lua_rawseti(L, -2, i);
      token = this.next();
      if (token.type === "T_ARR_END") {
        this.depth--;
        return;
      }
      if (token.type !== "T_COMMA") this.fail("comma or array end", token);
      token = this.next();
    }
  }
}

/** strtod for the forms the tokenizer accepts (decimal, hex, inf, nan). */
function parseCNumber(text: string): number {
  const sign = text.startsWith("-") ? -1 : 1;
  const body = text.replace(/^[-+]/, "").toLowerCase();
  if (body.startsWith("0x")) return sign * parseInt(body.slice(2), 16);
  if (body.startsWith("inf")) return sign * Infinity;
  if (body === "nan") return NaN;
  return sign * Number(body);
}
