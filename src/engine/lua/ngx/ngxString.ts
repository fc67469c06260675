/**
 * ngx's string helpers: URI escaping, query-string encoding and decoding,
 * base64, and SQL quoting, with nginx's escaping rules.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { bytesToText, logText, setFunction } from "./luaStack";
import { encodeArgsTable } from "./ngxCore";
import { parseArgs, pushArgsTable } from "./ngxReq";
import { crc32, hmacSha1, md5, sha1, toHex } from "./digests";

type LuaState = unknown;

/**
 * Bytes ngx.escape_uri leaves as they are: unreserved characters and
 * !*'() (as recorded from lua-nginx-module 0.10.23 on the real server).
 */
const URI_COMPONENT_SAFE = /[A-Za-z0-9\-._~!*'()]/;

/** Escapes bytes as ngx.escape_uri does (upper-case %XX). */
export function escapeUri(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (b < 128 && URI_COMPONENT_SAFE.test(ch)) out.push(b);
    else out.push(...to_luastring(`%${b.toString(16).toUpperCase().padStart(2, "0")}`));
  }
  return Uint8Array.from(out);
}

/** Decodes %XX escapes and `+` as ngx.unescape_uri does. */
export function unescapeUri(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length + 0) {
      const hex = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    out.push(b === 0x2b ? 0x20 : b);
  }
  return Uint8Array.from(out);
}

function toBinaryString(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function fromBinaryString(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Fills the `ngx` table at the stack top with the string helpers. */
export function installStringHelpers(L: LuaState): void {
  setFunction(L, "escape_uri", (L) => {
    lua.lua_pushstring(L, escapeUri(lauxlib.luaL_checklstring(L, 1)));
    return 1;
  });
  setFunction(L, "unescape_uri", (L) => {
    lua.lua_pushstring(L, unescapeUri(lauxlib.luaL_checklstring(L, 1)));
    return 1;
  });
  setFunction(L, "encode_args", (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    lua.lua_pushstring(L, to_luastring(encodeArgsTable(L, 1)));
    return 1;
  });
  setFunction(L, "decode_args", (L) => {
    const query = bytesToText(lauxlib.luaL_checklstring(L, 1));
    const max = lauxlib.luaL_optinteger(L, 2, 100);
    pushArgsTable(L, parseArgs(query, max));
    return 1;
  });
  setFunction(L, "encode_base64", (L) => {
    const bytes = lauxlib.luaL_checklstring(L, 1);
    const noPadding = lua.lua_toboolean(L, 2);
    let encoded = btoa(toBinaryString(bytes));
    if (noPadding) encoded = encoded.replace(/=+$/, "");
    lua.lua_pushstring(L, to_luastring(encoded));
    return 1;
  });
  setFunction(L, "decode_base64", (L) => {
    const text = bytesToText(lauxlib.luaL_checklstring(L, 1));
    try {
      lua.lua_pushstring(L, fromBinaryString(atob(text)));
    } catch {
      lua.lua_pushnil(L);
    }
    return 1;
  });
  setFunction(L, "quote_sql_str", (L) => {
    const text = logText(L, 1);
    const escaped = text.replace(/[\0\n\r\\'"\x1a\t\b]/g, (c) => {
      const map: Record<string, string> = {
        "\0": "\\0", "\n": "\\n", "\r": "\\r", "\\": "\\\\", "'": "\\'",
        '"': '\\"', "\x1a": "\\Z", "\t": "\\t", "\b": "\\b",
      };
      return map[c];
    });
    lua.lua_pushstring(L, to_luastring(`'${escaped}'`));
    return 1;
  });
}

/** Fills the `ngx` table at the stack top with the digest functions. */
export function installDigests(L: LuaState): void {
  const bytesArg = (L: LuaState) => lauxlib.luaL_checklstring(L, 1);
  setFunction(L, "md5", (L) => {
    lua.lua_pushstring(L, to_luastring(toHex(md5(bytesArg(L)))));
    return 1;
  });
  setFunction(L, "md5_bin", (L) => {
    lua.lua_pushstring(L, md5(bytesArg(L)));
    return 1;
  });
  setFunction(L, "sha1_bin", (L) => {
    lua.lua_pushstring(L, sha1(bytesArg(L)));
    return 1;
  });
  setFunction(L, "hmac_sha1", (L) => {
    const key = lauxlib.luaL_checklstring(L, 1);
    const data = lauxlib.luaL_checklstring(L, 2);
    lua.lua_pushstring(L, hmacSha1(key, data));
    return 1;
  });
  for (const name of ["crc32_short", "crc32_long"]) {
    setFunction(L, name, (L) => {
      lua.lua_pushnumber(L, crc32(bytesArg(L)));
      return 1;
    });
  }
}
