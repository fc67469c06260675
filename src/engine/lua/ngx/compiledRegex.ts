/**
 * A compiled ngx.re regex. The option letters are parsed as lua-resty-core
 * parses them and the PCRE pattern is translated to a JavaScript RegExp.
 * Matching runs over Lua strings (bytes) and returns PCRE's ovector: byte
 * offsets of the match and of each group, -1 for a group that did not take
 * part.
 *
 * Without `u` a byte is one Latin-1 code unit, so JavaScript offsets are
 * byte offsets. With `u` or `U` the pattern and the subject are decoded
 * from UTF-8 and offsets are mapped back to bytes.
 */
import { translatePcre, type TranslatedPattern } from "./pcreToJs";
import { PcreSyntaxError } from "./pcreErrors";

/** ngx.re's option string, parsed. */
export interface RegexOptions {
  caseless: boolean;
  multiline: boolean;
  dotall: boolean;
  extended: boolean;
  utf: boolean;
  /** `D`: duplicate names allowed, named captures become arrays. */
  dupnames: boolean;
  /** `a`: match only at the start position. */
  anchored: boolean;
  /** `d`: PCRE's DFA matcher, which returns the longest match. */
  dfa: boolean;
}

/** An option letter lua-resty-core does not know; raised as a Lua error. */
export class RegexOptionError extends Error {}

/** Parses ngx.re option letters (`j` `o` `J` are accepted and do nothing here). */
export function parseRegexOptions(opts: string): RegexOptions {
  const options: RegexOptions = {
    caseless: false,
    multiline: false,
    dotall: false,
    extended: false,
    utf: false,
    dupnames: false,
    anchored: false,
    dfa: false,
  };
  for (const letter of opts) {
    switch (letter) {
      case "i":
        options.caseless = true;
        break;
      case "m":
        options.multiline = true;
        break;
      case "s":
        options.dotall = true;
        break;
      case "x":
        options.extended = true;
        break;
      case "u":
      case "U":
        options.utf = true;
        break;
      case "D":
        options.dupnames = true;
        break;
      case "a":
        options.anchored = true;
        break;
      case "d":
        options.dfa = true;
        break;
      case "j":
      case "o":
      case "J":
        break;
      default:
        throw new RegexOptionError(`unknown flag "${letter}" (flags "${opts}")`);
    }
  }
  return options;
}

/** A subject prepared for matching: its text and the byte offset of each code unit. */
export interface Subject {
  bytes: Uint8Array;
  text: string;
  /** Byte offset of each code unit index (length text.length + 1); null in byte mode. */
  unitToByte: Int32Array | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}

/** Prepares bytes for matching; returns null for invalid UTF-8 in UTF-8 mode. */
export function prepareSubject(bytes: Uint8Array, utf: boolean): Subject | null {
  if (!utf) return { bytes, text: latin1(bytes), unitToByte: null };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  const unitToByte = new Int32Array(text.length + 1);
  let offset = 0;
  for (let unit = 0; unit < text.length; unit++) {
    unitToByte[unit] = offset;
    const cp = text.codePointAt(unit) as number;
    if (cp > 0xffff) {
      unitToByte[++unit] = offset;
      offset += 4;
    } else if (cp < 0x80) offset += 1;
    else if (cp < 0x800) offset += 2;
    else offset += 3;
  }
  unitToByte[text.length] = offset;
  return { bytes, text, unitToByte };
}

function byteToUnit(subject: Subject, byte: number): number {
  const map = subject.unitToByte;
  if (!map) return byte;
  let unit = 0;
  while (unit < map.length - 1 && map[unit] < byte) unit++;
  return unit;
}

/** Words a compile failure as lua-nginx-module reports pcre2_compile() errors. */
export function compileErrorMessage(
  pattern: Uint8Array,
  error: PcreSyntaxError,
  utf: boolean,
): string {
  const text = new TextDecoder().decode(pattern);
  let byteOffset = error.offset;
  if (utf) byteOffset = new TextEncoder().encode([...text].slice(0, error.offset).join("")).length;
  const head = `pcre2_compile() failed: ${error.reason} in "${text}"`;
  if (byteOffset >= pattern.length) return head;
  return `${head} at "${new TextDecoder().decode(pattern.subarray(byteOffset))}"`;
}

/** A regex ready to run: its JavaScript RegExp and PCRE's capture layout. */
export class CompiledRegex {
  readonly captureCount: number;
  readonly names: Array<{ name: string; group: number }>;
  private readonly regex: RegExp;
  private readonly translated: TranslatedPattern;

  constructor(
    pattern: Uint8Array,
    readonly options: RegexOptions,
  ) {
    const cps = options.utf
      ? [...decodePattern(pattern)].map((c) => c.codePointAt(0) as number)
      : [...pattern];
    this.translated = translatePcre(cps, options);
    this.captureCount = this.translated.captureCount;
    this.names = this.translated.names;
    const sticky = options.anchored || this.translated.isAnchored ? "y" : "g";
    this.regex = new RegExp(this.translated.source, `d${sticky}${options.utf ? "u" : ""}`);
  }

  /**
   * Runs the regex from byte offset `start`. Returns the ovector in bytes
   * (pairs of start and end, -1 for unset groups), or null for no match.
   */
  exec(subject: Subject, start: number): number[] | null {
    const from = byteToUnit(subject, start);
    if (from > subject.text.length) return null;
    this.regex.lastIndex = from;
    const m = this.regex.exec(subject.text);
    if (!m) return null;
    if (this.options.dfa) return this.longestMatch(subject, m.index);
    const indices = m.indices as RegExpIndicesArray;
    const ovector: number[] = [];
    for (let group = 0; group <= this.captureCount; group++) {
      const span = indices[this.translated.groupIndex[group]];
      if (!span) ovector.push(-1, -1);
      else ovector.push(toByte(subject, span[0]), toByte(subject, span[1]));
    }
    return ovector;
  }

  /**
   * PCRE's DFA matcher reports the longest match at the first position
   * where any match starts: try each end from the longest down.
   */
  private longestMatch(subject: Subject, at: number): number[] {
    const flags = `y${this.options.utf ? "u" : ""}`;
    for (let end = subject.text.length; end > at; end--) {
      const probe = new RegExp(`(?:${this.translated.source})(?<=^[\\s\\S]{${end}})`, flags);
      probe.lastIndex = at;
      if (probe.test(subject.text)) return this.dfaVector(subject, at, end);
    }
    return this.dfaVector(subject, at, at);
  }

  private dfaVector(subject: Subject, at: number, end: number): number[] {
    // NOTE: PCRE's DFA matcher also lists shorter matches in the ovector
    // (res[1], res[2], ...); the simulator reports only the longest.
    const ovector = [toByte(subject, at), toByte(subject, end)];
    for (let group = 1; group <= this.captureCount; group++) ovector.push(-1, -1);
    return ovector;
  }
}

function toByte(subject: Subject, unit: number): number {
  return subject.unitToByte ? subject.unitToByte[unit] : unit;
}

function decodePattern(pattern: Uint8Array): string {
  try {
    return utf8.decode(pattern);
  } catch {
    throw new PcreSyntaxError("UTF-8 error: isolated byte with 0x80 bit set", 0);
  }
}

const CACHE_LIMIT = 1024;
const cache = new Map<string, CompiledRegex>();

/**
 * Compiles (or reuses) a regex. Translation is pure, so one cache serves
 * every VM. Raises PcreSyntaxError and PcreUnsupportedError.
 */
export function compileRegex(pattern: Uint8Array, options: RegexOptions): CompiledRegex {
  const key = `${latin1(pattern)}\u0000${JSON.stringify(options)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = new CompiledRegex(pattern, options);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}
