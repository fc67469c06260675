/**
 * The nginx.conf tokenizer. It follows nginx's ngx_conf_read_token: words,
 * "double" and 'single' quoted strings with backslash escapes, `#`
 * comments, and statements ended by `;`, `{` or `}`. It also reads the Lua
 * source of a `*_by_lua_block`, which lua-nginx-module lexes itself.
 */
import { ConfigError } from "./types";

/** A word of a statement, after quotes are removed and escapes resolved. */
export interface Word {
  value: string;
  /** The line where the word starts. */
  line: number;
  isQuoted: boolean;
}

/**
 * The result of one `readStatement` call. `line` is the lexer's line after
 * the terminator, which is the line nginx names in its messages.
 */
export type Statement =
  | { kind: "directive"; args: Word[]; end: ";" | "{"; line: number }
  | { kind: "block-end"; line: number }
  | { kind: "eof"; line: number };

/** The Lua source between a `*_by_lua_block`'s `{` and its matching `}`. */
export interface LuaBlockSource {
  code: string;
  /** The line of the opening `{`, which is line 1 of `code`. */
  line: number;
}

const SPACE = new Set([" ", "\t", "\r", "\n"]);

/** A cursor over one configuration text. */
export class ConfLexer {
  private pos = 0;
  /** 1-based; counts every `\n` read so far, as nginx does. */
  line = 1;

  constructor(
    private readonly text: string,
    readonly file: string,
  ) {}

  /** Builds a ConfigError worded `<message> in <file>:<line>`. */
  error(message: string, line = this.line): ConfigError {
    return new ConfigError(`${message} in ${this.file}:${line}`, {
      file: this.file,
      line,
    });
  }

  private read(): string {
    const ch = this.text[this.pos++];
    if (ch === "\n") this.line++;
    return ch;
  }

  /**
   * Reads the words of the next statement up to its terminator, or one
   * closing `}`, or the end of the text.
   */
  readStatement(): Statement {
    const args: Word[] = [];
    let isLastSpace = true;
    let needsSpace = false;
    let isComment = false;
    let isEscaped = false;
    let isVariable = false;
    let quote: '"' | "'" | null = null;
    let start = 0;
    let startLine = 0;

    for (;;) {
      if (this.pos >= this.text.length) {
        if (args.length > 0 || !isLastSpace) {
          throw this.error('unexpected end of file, expecting ";" or "}"');
        }
        return { kind: "eof", line: this.line };
      }
      const ch = this.read();
      if (ch === "\n") isComment = false;
      if (isComment) continue;
      if (isEscaped) {
        isEscaped = false;
        continue;
      }
      if (needsSpace) {
        if (SPACE.has(ch)) {
          isLastSpace = true;
          needsSpace = false;
          continue;
        }
        if (ch === ";" || ch === "{") {
          return { kind: "directive", args, end: ch, line: this.line };
        }
        if (ch === ")") {
          isLastSpace = true;
          needsSpace = false;
        } else {
          throw this.error(`unexpected "${ch}"`);
        }
      }
      if (isLastSpace) {
        start = this.pos - 1;
        startLine = this.line;
        if (SPACE.has(ch)) continue;
        switch (ch) {
          case ";":
          case "{":
            if (args.length === 0) throw this.error(`unexpected "${ch}"`);
            return { kind: "directive", args, end: ch, line: this.line };
          case "}":
            if (args.length !== 0) throw this.error('unexpected "}"');
            return { kind: "block-end", line: this.line };
          case "#":
            isComment = true;
            continue;
          case "\\":
            isEscaped = true;
            isLastSpace = false;
            continue;
          case '"':
          case "'":
            start++;
            quote = ch;
            isLastSpace = false;
            continue;
          case "$":
            isVariable = true;
            isLastSpace = false;
            continue;
          default:
            isLastSpace = false;
            continue;
        }
      }
      if (ch === "{" && isVariable) continue;
      isVariable = false;
      if (ch === "\\") {
        isEscaped = true;
        continue;
      }
      if (ch === "$") {
        isVariable = true;
        continue;
      }
      let isFound = false;
      if (quote !== null) {
        if (ch === quote) {
          isFound = true;
          needsSpace = true;
        }
      } else if (SPACE.has(ch) || ch === ";" || ch === "{") {
        isLastSpace = true;
        isFound = true;
      }
      if (!isFound) continue;
      args.push({
        value: unescapeWord(this.text.slice(start, this.pos - 1)),
        line: startLine,
        isQuoted: quote !== null,
      });
      quote = null;
      if (ch === ";" || ch === "{") {
        return { kind: "directive", args, end: ch, line: this.line };
      }
    }
  }

  /**
   * Reads Lua source up to the `}` that closes the block whose `{` was just
   * read, skipping braces inside Lua strings, long strings and comments.
   */
  readLuaBlock(): LuaBlockSource {
    const line = this.line;
    const start = this.pos;
    let depth = 1;
    while (this.pos < this.text.length) {
      const ch = this.read();
      if (ch === "{") {
        depth++;
      } else if (ch === "}") {
        depth--;
        if (depth === 0) {
          return { code: this.text.slice(start, this.pos - 1), line };
        }
      } else if (ch === '"' || ch === "'") {
        this.skipLuaString(ch);
      } else if (ch === "[") {
        const level = this.longBracketLevel();
        if (level >= 0) this.skipLongBracket(level, "string");
      } else if (ch === "-" && this.text[this.pos] === "-") {
        this.read();
        this.skipLuaComment();
      }
    }
    throw this.error('unexpected end of file, expecting "}"');
  }

  private skipLuaString(quote: string): void {
    while (this.pos < this.text.length) {
      const ch = this.read();
      if (ch === "\\") {
        this.read();
      } else if (ch === quote) {
        return;
      } else if (ch === "\n") {
        // Lua rejects this chunk later with its own "unfinished string".
        return;
      }
    }
  }

  private skipLuaComment(): void {
    if (this.text[this.pos] === "[") {
      this.read();
      const level = this.longBracketLevel();
      if (level >= 0) {
        this.skipLongBracket(level, "comment");
        return;
      }
    }
    while (this.pos < this.text.length && this.text[this.pos] !== "\n") {
      this.pos++;
    }
  }

  /**
   * After a `[`: consumes `=*[` and returns the number of `=`, or returns
   * -1 and consumes nothing when no long bracket opens here.
   */
  private longBracketLevel(): number {
    let end = this.pos;
    while (this.text[end] === "=") end++;
    if (this.text[end] !== "[") return -1;
    const level = end - this.pos;
    this.pos = end + 1;
    return level;
  }

  private skipLongBracket(level: number, what: "string" | "comment"): void {
    const close = "]" + "=".repeat(level) + "]";
    const end = this.text.indexOf(close, this.pos);
    if (end < 0) {
      throw this.error(
        `Lua code block missing the closing long bracket "${close}"` +
          ` of a long ${what}`,
      );
    }
    while (this.pos < end + close.length) this.read();
  }
}

const CONTROL_ESCAPES: Record<string, string> = { t: "\t", r: "\r", n: "\n" };

/** Resolves `\", `\'`, `\\`, `\t`, `\r` and `\n` as nginx does. */
function unescapeWord(raw: string): string {
  if (!raw.includes("\\")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch !== "\\" || i + 1 >= raw.length) {
      out += ch;
      continue;
    }
    const next = raw[i + 1];
    if (next === '"' || next === "'" || next === "\\") {
      out += next;
      i++;
    } else if (next === "t" || next === "r" || next === "n") {
      out += CONTROL_ESCAPES[next];
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}
