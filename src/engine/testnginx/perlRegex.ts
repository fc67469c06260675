/**
 * Translates Perl regular expressions, as Test::Nginx sections write them,
 * into JavaScript RegExp objects with the same meaning: `.` does not match
 * a newline unless /s, `$` also matches before a final newline, /m anchors
 * work at newlines only, /x drops whitespace and comments, and \A, \z, \Z,
 * \h, \Q...\E and POSIX classes are rewritten. Constructs that JavaScript
 * cannot express (possessive quantifiers, atomic groups, recursion, inline
 * modifiers inside the pattern) raise a PerlRegexError that names them.
 */

/** A Perl pattern that has no JavaScript equivalent, or is invalid. */
export class PerlRegexError extends Error {
  readonly code = "PERL_REGEX_UNSUPPORTED";
  constructor(message: string) {
    super(message);
    this.name = "PerlRegexError";
  }
}

/** A compiled Perl pattern: the JavaScript regex and the Perl source. */
export interface PerlRegex {
  regex: RegExp;
  /** The Perl pattern as written, for messages. */
  source: string;
  /** The Perl flags as written (`i`, `m`, `s`, `x`, ...). */
  flags: string;
}

/** Perl flags that change nothing for a single match. */
const IGNORED_FLAGS = new Set(["g", "c", "o", "e", "r", "p", "a", "u", "l", "d"]);

const POSIX_CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: "\\s",
  blank: " \\t",
  word: "\\w",
  xdigit: "0-9A-Fa-f",
  punct: "!-\\/:-@\\[-`{-~",
  cntrl: "\\x00-\\x1f\\x7f",
  print: "\\x20-\\x7e",
  graph: "\\x21-\\x7e",
};

/** Escapes that JavaScript has under another spelling, outside classes. */
const ESCAPES: Record<string, string> = {
  A: "(?<![\\s\\S])",
  z: "(?![\\s\\S])",
  Z: "(?=\\n?(?![\\s\\S]))",
  h: "[ \\t]",
  H: "[^ \\t]",
  v: "[\\n\\x0B\\f\\r\\x85\\u2028\\u2029]",
  V: "[^\\n\\x0B\\f\\r\\x85\\u2028\\u2029]",
  R: "(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])",
  N: "[^\\n]",
  e: "\\x1b",
  a: "\\x07",
};

/** The same escapes inside a character class. */
const CLASS_ESCAPES: Record<string, string> = {
  h: " \\t",
  v: "\\n\\x0B\\f\\r\\x85\\u2028\\u2029",
  e: "\\x1b",
  a: "\\x07",
};

const UNSUPPORTED_ESCAPES: Record<string, string> = {
  G: "\\G (match position)",
  K: "\\K (keep left)",
  X: "\\X (extended grapheme)",
  C: "\\C (single byte)",
  p: "\\p{...} (Unicode property)",
  P: "\\P{...} (Unicode property)",
  l: "\\l (case change)",
  u: "\\u (case change)",
  L: "\\L (case change)",
  U: "\\U (case change)",
};

function hexEscape(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
  const high = Math.floor((code - 0x10000) / 0x400) + 0xd800;
  const low = ((code - 0x10000) % 0x400) + 0xdc00;
  return `\\u${high.toString(16)}\\u${low.toString(16)}`;
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

interface Flags {
  isCaseless: boolean;
  isMultiline: boolean;
  isDotAll: boolean;
  isExtended: boolean;
}

function applyFlagLetters(flags: Flags, letters: string, where: string): void {
  let isOn = true;
  for (const letter of letters) {
    if (letter === "-") isOn = false;
    else if (letter === "^") continue;
    else if (letter === "i") flags.isCaseless = isOn;
    else if (letter === "m") flags.isMultiline = isOn;
    else if (letter === "s") flags.isDotAll = isOn;
    else if (letter === "x") flags.isExtended = isOn;
    else if (letter === "n") {
      throw new PerlRegexError(`flag "n" (no capture) in ${where} is not supported`);
    } else if (!IGNORED_FLAGS.has(letter)) {
      throw new PerlRegexError(`unknown regex flag "${letter}" in ${where}`);
    }
  }
}

/** The translator's cursor over one pattern. */
class Translator {
  private pos = 0;
  private out = "";
  private lastWasQuantifier = false;

  constructor(
    private readonly source: string,
    private readonly flags: Flags,
  ) {}

  translate(): string {
    this.readLeadingModifiers();
    while (this.pos < this.source.length) this.step();
    return this.out;
  }

  /** `(?i)`, `(?^s)` at the very start set flags for the whole pattern. */
  private readLeadingModifiers(): void {
    for (;;) {
      const match = /^\(\?([\^a-z-]*)\)/.exec(this.source.slice(this.pos));
      if (!match) return;
      applyFlagLetters(this.flags, match[1], "an inline (?...) modifier");
      this.pos += match[0].length;
    }
  }

  private emit(text: string, isQuantifier = false): void {
    this.out += text;
    this.lastWasQuantifier = isQuantifier;
  }

  private unsupported(what: string): never {
    throw new PerlRegexError(
      `${what} at offset ${this.pos} of /${this.source}/ is not supported ` +
        "by JavaScript regexes; rewrite the pattern without it",
    );
  }

  private step(): void {
    const ch = this.source[this.pos];
    if (this.flags.isExtended && /\s/.test(ch)) {
      this.pos++;
      return;
    }
    if (this.flags.isExtended && ch === "#") {
      const end = this.source.indexOf("\n", this.pos);
      this.pos = end < 0 ? this.source.length : end + 1;
      return;
    }
    if (ch === "\\") return this.readEscape();
    if (ch === "[") return this.readClass();
    if (ch === "(") return this.readGroupStart();
    if (ch === "*" || ch === "+" || ch === "?") return this.readQuantifier(ch);
    if (ch === "{") return this.readBrace();
    this.pos++;
    if (ch === ".") this.emit(this.flags.isDotAll ? "[\\s\\S]" : "[^\\n]");
    else if (ch === "^") {
      this.emit(this.flags.isMultiline ? "(?:^|(?<=\\n)(?!$))" : "^");
    } else if (ch === "$") {
      this.emit(this.flags.isMultiline ? "(?=\\n|$)" : "(?=\\n?$)");
    } else this.emit(ch);
  }

  private readQuantifier(ch: string): void {
    this.pos++;
    if (ch === "+" && this.lastWasQuantifier) {
      this.pos--;
      this.unsupported("a possessive quantifier");
    }
    if (ch === "?" && this.lastWasQuantifier) {
      this.emit("?");
      return;
    }
    this.emit(ch, true);
  }

  private readBrace(): void {
    const match = /^\{(\d+)(,\d*)?\}/.exec(this.source.slice(this.pos));
    if (!match) {
      this.pos++;
      this.emit("\\{");
      return;
    }
    this.pos += match[0].length;
    this.emit(match[0], true);
  }

  private readEscape(): void {
    const next = this.source[this.pos + 1];
    if (next === undefined) {
      throw new PerlRegexError(`trailing backslash in /${this.source}/`);
    }
    if (next === "Q") return this.readQuoted();
    if (next === "E") {
      this.pos += 2;
      return;
    }
    if (UNSUPPORTED_ESCAPES[next]) this.unsupported(UNSUPPORTED_ESCAPES[next]);
    if (ESCAPES[next]) {
      this.pos += 2;
      this.emit(ESCAPES[next]);
      return;
    }
    if (next === "x" || next === "o" || next === "0") {
      this.emit(this.readCodeEscape());
      return;
    }
    if (next === "g") return this.readBackReference();
    this.pos += 2;
    this.emit(`\\${next}`);
  }

  /** `\Q...\E`: the text between is literal. */
  private readQuoted(): void {
    const end = this.source.indexOf("\\E", this.pos + 2);
    const stop = end < 0 ? this.source.length : end;
    this.emit(escapeLiteral(this.source.slice(this.pos + 2, stop)));
    this.pos = end < 0 ? stop : end + 2;
  }

  /** `\xHH`, `\x{HHHH}`, `\o{NNN}`, `\0NN` as a JavaScript escape. */
  private readCodeEscape(): string {
    const rest = this.source.slice(this.pos);
    const braced = /^\\([xo])\{([0-9a-fA-F]*)\}/.exec(rest);
    if (braced) {
      this.pos += braced[0].length;
      const code = parseInt(braced[2] || "0", braced[1] === "x" ? 16 : 8);
      return hexEscape(code);
    }
    const hex = /^\\x([0-9a-fA-F]{0,2})/.exec(rest);
    if (hex) {
      this.pos += hex[0].length;
      return hexEscape(parseInt(hex[1] || "0", 16));
    }
    const octal = /^\\0([0-7]{0,2})/.exec(rest);
    if (octal) {
      this.pos += octal[0].length;
      return hexEscape(parseInt(octal[1] || "0", 8));
    }
    this.pos += 2;
    return rest.slice(0, 2);
  }

  /** `\g1`, `\g{1}`, `\g{name}`; relative `\g{-1}` is not supported. */
  private readBackReference(): void {
    const match = /^\\g(?:\{(-?\w+)\}|(-?\d+))/.exec(this.source.slice(this.pos));
    if (!match) this.unsupported("\\g without a group");
    const target = match[1] ?? match[2];
    if (target.startsWith("-")) this.unsupported("a relative back-reference");
    this.pos += match[0].length;
    this.emit(/^\d+$/.test(target) ? `\\${target}` : `\\k<${target}>`);
  }

  private readGroupStart(): void {
    const rest = this.source.slice(this.pos);
    if (!rest.startsWith("(?")) {
      this.pos++;
      this.emit("(");
      return;
    }
    if (rest.startsWith("(?#")) {
      const end = this.source.indexOf(")", this.pos);
      this.pos = end < 0 ? this.source.length : end + 1;
      return;
    }
    const plain = /^\(\?(?:[:=!]|<[=!]|<[A-Za-z_]\w*>)/.exec(rest);
    if (plain) {
      this.pos += plain[0].length;
      this.emit(plain[0]);
      return;
    }
    const named = /^\(\?(?:P<|')([A-Za-z_]\w*)[>']/.exec(rest);
    if (named) {
      this.pos += named[0].length;
      this.emit(`(?<${named[1]}>`);
      return;
    }
    const namedReference = /^\(\?P=(\w+)\)/.exec(rest);
    if (namedReference) {
      this.pos += namedReference[0].length;
      this.emit(`\\k<${namedReference[1]}>`);
      return;
    }
    this.readModifierGroup(rest);
  }

  /** `(?i:...)` groups are accepted only when they change no flag. */
  private readModifierGroup(rest: string): void {
    if (rest.startsWith("(?>")) this.unsupported("an atomic group (?>...)");
    if (rest.startsWith("(?|")) this.unsupported("a branch reset group (?|...)");
    if (rest.startsWith("(?(")) this.unsupported("a conditional group");
    if (/^\(\?(?:R|[+-]?\d|&|P>)/.test(rest)) this.unsupported("recursion");
    const modifier = /^\(\?([\^a-z-]*)([:)])/.exec(rest);
    if (!modifier) this.unsupported("this (? group");
    const changed: Flags = { ...this.flags };
    applyFlagLetters(changed, modifier[1], `/${this.source}/`);
    const isSame =
      changed.isCaseless === this.flags.isCaseless &&
      changed.isMultiline === this.flags.isMultiline &&
      changed.isDotAll === this.flags.isDotAll &&
      changed.isExtended === this.flags.isExtended;
    if (!isSame) {
      this.unsupported(
        `the inline modifier (?${modifier[1]}${modifier[2]} (only a leading ` +
          "(?i) or flags after the closing delimiter are supported)",
      );
    }
    this.pos += modifier[0].length;
    if (modifier[2] === ":") this.emit("(?:");
  }

  /** Copies a `[...]` class, rewriting POSIX classes and Perl escapes. */
  private readClass(): void {
    let out = "[";
    this.pos++;
    if (this.source[this.pos] === "^") {
      out += "^";
      this.pos++;
    }
    if (this.source[this.pos] === "]") {
      out += "\\]";
      this.pos++;
    }
    for (;;) {
      const ch = this.source[this.pos];
      if (ch === undefined) {
        throw new PerlRegexError(`unmatched [ in /${this.source}/`);
      }
      if (ch === "]") break;
      out += this.readClassItem();
    }
    this.pos++;
    this.emit(out + "]");
  }

  private readClassItem(): string {
    const rest = this.source.slice(this.pos);
    const posix = /^\[:(\^?)(\w+):\]/.exec(rest);
    if (posix) {
      const range = POSIX_CLASSES[posix[2]];
      if (!range) this.unsupported(`the POSIX class [:${posix[2]}:]`);
      if (posix[1]) this.unsupported(`the negated POSIX class [:^${posix[2]}:]`);
      this.pos += posix[0].length;
      return range;
    }
    if (rest[0] === "[") {
      this.pos++;
      return "\\[";
    }
    if (rest[0] !== "\\") {
      this.pos++;
      return rest[0];
    }
    const next = rest[1];
    if (CLASS_ESCAPES[next]) {
      this.pos += 2;
      return CLASS_ESCAPES[next];
    }
    if (next === "x" || next === "o" || next === "0") return this.readCodeEscape();
    if (next === "h" || next === "H" || next === "N" || next === "R") {
      this.unsupported(`\\${next} inside a character class`);
    }
    this.pos += 2;
    return rest.slice(0, 2);
  }
}

/**
 * Compiles a Perl pattern with Perl flags (`qr/source/flags`). Throws a
 * PerlRegexError naming the construct JavaScript cannot express.
 */
export function compilePerlRegex(source: string, flags = ""): PerlRegex {
  const state: Flags = {
    isCaseless: false,
    isMultiline: false,
    isDotAll: false,
    isExtended: false,
  };
  applyFlagLetters(state, flags, `/${source}/${flags}`);
  const translated = new Translator(source, state).translate();
  try {
    return {
      regex: new RegExp(translated, state.isCaseless ? "i" : ""),
      source,
      flags,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PerlRegexError(`invalid regex /${source}/${flags}: ${reason}`);
  }
}

/** Returns the first match of a Perl regex in `text` (Perl's `$&`), or null. */
export function perlMatch(pattern: PerlRegex, text: string): string | null {
  const match = pattern.regex.exec(text);
  return match ? match[0] : null;
}
