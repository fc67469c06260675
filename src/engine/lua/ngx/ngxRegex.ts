/**
 * ngx.re.match, find, gmatch, sub and gsub, with the results and error
 * returns of lua-resty-core's regex module (OpenResty 1.27.1.2). Captures
 * tables contain `false` for unmatched groups. Errors come back as
 * `nil, err` (`nil, nil, err` for find, sub and gsub), but an unknown
 * option letter raises. A PCRE construct the simulator cannot translate
 * raises a Lua error that names it.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import {
  compileErrorMessage,
  compileRegex,
  parseRegexOptions,
  prepareSubject,
  RegexOptionError,
  type CompiledRegex,
  type Subject,
} from "./compiledRegex";
import { PcreSyntaxError, PcreUnsupportedError } from "./pcreErrors";
import { compileReplaceTemplate, expandTemplate, type TemplatePart } from "./replaceTemplate";
import { installSplit } from "./ngxRegexSplit";

type LuaState = unknown;

/** Logs at the error level (replacement template errors go to the error log). */
export type RegexErrorLogger = (message: string) => void;

/** Raises `message` as a Lua error at the position of the Lua caller. */
export function raiseAtCaller(L: LuaState, message: string): never {
  lauxlib.luaL_where(L, 2);
  lua.lua_pushstring(L, to_luastring(message));
  lua.lua_concat(L, 2);
  lua.lua_error(L);
  throw new Error("unreachable");
}

/**
 * Error positions of lua-resty-core's "unknown flag" for each API. Its
 * parse_regex_opts() raises at level 3, which is a line of lua-resty-core
 * itself. NOTE: the line numbers are those of lua-resty-core 0.1.25
 * (Debian 12's package, the one the recordings use); 0.1.31 differs.
 */
export const FLAG_ERROR_WHERE = {
  match: "/usr/share/lua/5.1/resty/core/regex.lua:624: ",
  gmatch: "/usr/share/lua/5.1/resty/core/regex.lua:794: ",
  subFunction: "/usr/share/lua/5.1/resty/core/regex.lua:952: ",
  subTemplate: "/usr/share/lua/5.1/resty/core/regex.lua:1062: ",
  split: "/usr/share/lua/5.1/ngx/re.lua:173: ",
};

/**
 * Compiles the pattern at `patternIndex` with the options at `optsIndex`.
 * Returns an error string for a compile error; raises for an unknown
 * option letter (prefixed with `flagWhere`) or an unsupported construct.
 */
export function compileArgs(
  L: LuaState,
  patternIndex: number,
  optsIndex: number,
  flagWhere: string,
): CompiledRegex | string {
  const pattern = lauxlib.luaL_checklstring(L, patternIndex);
  const opts = lua.lua_isnoneornil(L, optsIndex)
    ? ""
    : new TextDecoder().decode(lauxlib.luaL_checklstring(L, optsIndex));
  try {
    const options = parseRegexOptions(opts);
    try {
      return compileRegex(pattern, options);
    } catch (error) {
      if (error instanceof PcreSyntaxError) return compileErrorMessage(pattern, error, options.utf);
      throw error;
    }
  } catch (error) {
    if (error instanceof RegexOptionError) {
      lua.lua_pushstring(L, to_luastring(flagWhere + error.message));
      lua.lua_error(L);
    }
    if (error instanceof PcreUnsupportedError) raiseAtCaller(L, error.message);
    throw error;
  }
}

/** Reads argument `index` as lua-resty-core's `tostring(subj)` does. */
export function subjectBytes(L: LuaState, index: number): Uint8Array {
  const bytes = lauxlib.luaL_tolstring(L, index);
  lua.lua_pop(L, 1);
  return bytes;
}

/** Runs the regex; an error string for invalid UTF-8 (PCRE's exec error). */
export function execRegex(
  compiled: CompiledRegex,
  subject: Subject | null,
  start: number,
): number[] | null | string {
  // NOTE: the code is PCRE2's "UTF-8 error: isolated byte with 0x80 bit
  // set"; invalid sequences of other kinds have other codes in PCRE2.
  if (!subject) return "pcre_exec() failed: -22";
  return compiled.exec(subject, start);
}

/**
 * Pushes the captures table: [0] the match, [1..n] groups or false, and
 * named groups by name (arrays of matched values with the D option).
 */
export function pushCaptures(
  L: LuaState,
  compiled: CompiledRegex,
  subject: Subject,
  ovector: number[],
  reuseIndex = 0,
): void {
  if (reuseIndex > 0) lua.lua_pushvalue(L, reuseIndex);
  else lua.lua_createtable(L, compiled.captureCount, compiled.names.length);
  const values: Array<Uint8Array | false> = [];
  for (let group = 0; group <= compiled.captureCount; group++) {
    const from = ovector[group * 2];
    const to = ovector[group * 2 + 1];
    values.push(from < 0 ? false : subject.bytes.subarray(from, to));
  }
  values.forEach((value, group) => {
    pushValue(L, value);
    lua.lua_rawseti(L, -2, group);
  });
  const isDup = compiled.options.dupnames;
  if (isDup) {
    for (const { name } of compiled.names) {
      lua.lua_pushnil(L);
      lua.lua_setfield(L, -2, to_luastring(name));
    }
  }
  for (const { name, group } of compiled.names) {
    const value = values[group];
    const key = to_luastring(name);
    if (!isDup) {
      pushValue(L, value);
      lua.lua_setfield(L, -2, key);
      continue;
    }
    if (value === false) continue;
    if (lua.lua_getfield(L, -1, key) !== lua.LUA_TTABLE) {
      lua.lua_pop(L, 1);
      lua.lua_newtable(L);
      lua.lua_pushvalue(L, -1);
      lua.lua_setfield(L, -3, key);
    }
    pushValue(L, value);
    lua.lua_rawseti(L, -2, lua.lua_rawlen(L, -2) + 1);
    lua.lua_pop(L, 1);
  }
}

function pushValue(L: LuaState, value: Uint8Array | false): void {
  if (value === false) lua.lua_pushboolean(L, false);
  else lua.lua_pushstring(L, value);
}

function pushNilError(L: LuaState, nils: number, message: string): number {
  for (let i = 0; i < nils; i++) lua.lua_pushnil(L);
  lua.lua_pushstring(L, to_luastring(message));
  return nils + 1;
}

/** ctx.pos (1-based) as a 0-based start offset. */
function readStart(L: LuaState, ctxIndex: number): number {
  if (lua.lua_type(L, ctxIndex) !== lua.LUA_TTABLE) return 0;
  lua.lua_getfield(L, ctxIndex, to_luastring("pos"));
  const pos = lua.lua_tonumber(L, -1);
  lua.lua_pop(L, 1);
  return pos > 0 ? pos - 1 : 0;
}

function writeEnd(L: LuaState, ctxIndex: number, end: number): void {
  if (lua.lua_type(L, ctxIndex) !== lua.LUA_TTABLE) return;
  lua.lua_pushnumber(L, end + 1);
  lua.lua_setfield(L, ctxIndex, to_luastring("pos"));
}

function match(L: LuaState): number {
  lua.lua_settop(L, 5);
  const bytes = subjectBytes(L, 1);
  const compiled = compileArgs(L, 2, 3, FLAG_ERROR_WHERE.match);
  if (typeof compiled === "string") return pushNilError(L, 1, compiled);
  const subject = prepareSubject(bytes, compiled.options.utf);
  const ovector = execRegex(compiled, subject, readStart(L, 4));
  if (typeof ovector === "string") return pushNilError(L, 1, ovector);
  if (!ovector || !subject) {
    lua.lua_pushnil(L);
    return 1;
  }
  writeEnd(L, 4, ovector[1]);
  const reuse = lua.lua_type(L, 5) === lua.LUA_TTABLE ? 5 : 0;
  pushCaptures(L, compiled, subject, ovector, reuse);
  return 1;
}

function find(L: LuaState): number {
  lua.lua_settop(L, 5);
  const bytes = subjectBytes(L, 1);
  const compiled = compileArgs(L, 2, 3, FLAG_ERROR_WHERE.match);
  if (typeof compiled === "string") return pushNilError(L, 2, compiled);
  const subject = prepareSubject(bytes, compiled.options.utf);
  const ovector = execRegex(compiled, subject, readStart(L, 4));
  if (typeof ovector === "string") return pushNilError(L, 2, ovector);
  if (!ovector) {
    lua.lua_pushnil(L);
    return 1;
  }
  writeEnd(L, 4, ovector[1]);
  let nth = lua.lua_isnoneornil(L, 5) ? 0 : lua.lua_tonumber(L, 5);
  if (nth < 0) nth = 0;
  if (nth > compiled.captureCount) return pushNilError(L, 2, "nth out of bound");
  const from = ovector[nth * 2];
  const to = ovector[nth * 2 + 1];
  if (from < 0 || to < 0) {
    lua.lua_pushnil(L);
    lua.lua_pushnil(L);
    return 2;
  }
  lua.lua_pushnumber(L, from + 1);
  lua.lua_pushnumber(L, to);
  return 2;
}

/** ngx.re.gmatch: a callable table, as lua-resty-core returns. */
function gmatch(L: LuaState): number {
  lua.lua_settop(L, 3);
  const bytes = subjectBytes(L, 1);
  const compiled = compileArgs(L, 2, 3, FLAG_ERROR_WHERE.gmatch);
  if (typeof compiled === "string") return pushNilError(L, 1, compiled);
  const subject = prepareSubject(bytes, compiled.options.utf);
  let pos: number | null = 0;
  const iterate = (L: LuaState): number => {
    if (pos === null) {
      lua.lua_pushnil(L);
      return 1;
    }
    const ovector = execRegex(compiled, subject, pos);
    if (typeof ovector === "string") {
      pos = null;
      return pushNilError(L, 1, ovector);
    }
    if (!ovector || !subject) {
      pos = null;
      lua.lua_pushnil(L);
      return 1;
    }
    let next = ovector[1];
    if (next === ovector[0]) next++;
    pos = next > bytes.length && next !== ovector[1] ? null : next;
    pushCaptures(L, compiled, subject, ovector);
    return 1;
  };
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  lua.lua_pushjsfunction(L, iterate);
  lua.lua_setfield(L, -2, to_luastring("__call"));
  lua.lua_setmetatable(L, -2);
  return 1;
}

/** Builds one replacement: the template, or the function's tostring'ed result. */
type Replacer = (subject: Subject, ovector: number[]) => Uint8Array;

function functionReplacer(L: LuaState, compiled: CompiledRegex): Replacer {
  return (subject, ovector) => {
    lua.lua_pushvalue(L, 3);
    pushCaptures(L, compiled, subject, ovector);
    lua.lua_call(L, 1, 1);
    const piece = lauxlib.luaL_tolstring(L, -1);
    lua.lua_pop(L, 2);
    return piece;
  };
}

function templateReplacer(parts: TemplatePart[]): Replacer {
  return (subject, ovector) => expandTemplate(parts, subject.bytes, ovector);
}

function substitute(L: LuaState, isGlobal: boolean, log: RegexErrorLogger): number {
  lua.lua_settop(L, 4);
  const isFunction = lua.lua_type(L, 3) === lua.LUA_TFUNCTION;
  const template = isFunction ? null : subjectBytes(L, 3);
  const where = isFunction ? FLAG_ERROR_WHERE.subFunction : FLAG_ERROR_WHERE.subTemplate;
  const compiled = compileArgs(L, 2, 4, where);
  if (typeof compiled === "string") return pushNilError(L, 2, compiled);
  let replacer: Replacer;
  if (template) {
    const parts = compileReplaceTemplate(template);
    if (typeof parts === "string") {
      log(parts);
      return pushNilError(L, 2, "failed to compile the replacement template");
    }
    replacer = templateReplacer(parts);
  } else replacer = functionReplacer(L, compiled);
  const bytes = subjectBytes(L, 1);
  const subject = prepareSubject(bytes, compiled.options.utf);
  const pieces: Uint8Array[] = [];
  let count = 0;
  let pos = 0;
  let copied = 0;
  for (;;) {
    const ovector = execRegex(compiled, subject, pos);
    if (typeof ovector === "string") return pushNilError(L, 2, ovector);
    if (!ovector || !subject) break;
    count++;
    pieces.push(bytes.subarray(copied, ovector[0]), replacer(subject, ovector));
    copied = ovector[1];
    pos = copied;
    if (pos === ovector[0] && ++pos > bytes.length) break;
    if (!isGlobal) break;
  }
  if (count === 0) {
    lua.lua_pushstring(L, bytes);
    lua.lua_pushnumber(L, 0);
    return 2;
  }
  pieces.push(bytes.subarray(copied));
  lua.lua_pushstring(L, joinBytes(pieces));
  lua.lua_pushnumber(L, count);
  return 2;
}

function joinBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function setJsFunction(L: LuaState, name: string, fn: (L: LuaState) => number): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setfield(L, -2, to_luastring(name));
}

/**
 * Sets `ngx.re` on the `ngx` table at the stack top and preloads the
 * `ngx.re` module (split). The functions are pure, so they are not
 * journaled for init_by_lua replay.
 */
export function installRegex(L: LuaState, log: RegexErrorLogger): void {
  lua.lua_newtable(L);
  setJsFunction(L, "match", match);
  setJsFunction(L, "find", find);
  setJsFunction(L, "gmatch", gmatch);
  setJsFunction(L, "sub", (L) => substitute(L, false, log));
  setJsFunction(L, "gsub", (L) => substitute(L, true, log));
  lua.lua_setfield(L, -2, to_luastring("re"));
  installSplit(L);
}
