/**
 * Evaluates the small Perl expressions that Test::Nginx blocks put in
 * `--- section eval`: string literals ("...", '...', q{}, qq{}), numbers,
 * qr/.../flags, array refs [a, b], qw(), concatenation with `.` and
 * repetition with `x`. Anything else (variables, function calls,
 * heredocs) raises a PerlValueError that names the construct, because
 * running real Perl is out of reach here.
 */

/** A `qr/.../flags` value; compiled later, where it is matched. */
export interface PerlPattern {
  kind: "regex";
  source: string;
  flags: string;
}

/** A Perl value: a scalar (string), a regex or an array ref. */
export type PerlValue = string | PerlPattern | PerlValue[];

/** An `eval` section that this evaluator cannot read. */
export class PerlValueError extends Error {
  readonly code = "PERL_EVAL_UNSUPPORTED";
  constructor(message: string) {
    super(message);
    this.name = "PerlValueError";
  }
}

const CLOSING: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">" };

const DOUBLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  f: "\f",
  b: "\b",
  a: "\x07",
  e: "\x1b",
};

/** Returns true for a value made with `qr//`. */
export function isPerlPattern(value: PerlValue): value is PerlPattern {
  return typeof value === "object" && !Array.isArray(value);
}

/** A list in parentheses, kept apart so that `(list) x N` can repeat it. */
interface ParenList {
  list: PerlValue[];
}

class PerlReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  fail(what: string): never {
    const near = this.text.slice(this.pos, this.pos + 20).split("\n")[0];
    throw new PerlValueError(
      `eval: ${what} at "${near}" is not supported; ` +
        "use string literals, qr//, numbers and [ ... ] arrays",
    );
  }

  skipSpace(): void {
    for (;;) {
      const match = /^(?:\s+|#[^\n]*)/.exec(this.text.slice(this.pos));
      if (!match || match[0] === "") return;
      this.pos += match[0].length;
    }
  }

  isAtEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? "";
  }

  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  /** expr := repeated ("." repeated)*, where `x` binds tighter than `.` */
  readExpression(): PerlValue | ParenList {
    let value = this.readRepeated();
    while (this.peek() === ".") {
      this.pos++;
      value = concat(this.scalar(value), this.scalar(this.readRepeated()));
    }
    return value;
  }

  /** repeated := term ("x" count)* */
  private readRepeated(): PerlValue | ParenList {
    let value = this.readTerm();
    while (this.peek() === "x" && /^x\s*\d/.test(this.text.slice(this.pos))) {
      this.pos++;
      value = repeat(value, this.readCount());
    }
    return value;
  }

  private scalar(value: PerlValue | ParenList): string {
    if (typeof value === "string") return value;
    if ("list" in value && value.list.length === 1) {
      return this.scalar(value.list[0]);
    }
    return this.fail("joining a list or regex with . or x");
  }

  private readCount(): number {
    this.skipSpace();
    const match = /^\d+/.exec(this.text.slice(this.pos));
    if (!match) this.fail("a repeat count that is not a number");
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private readTerm(): PerlValue | ParenList {
    const ch = this.peek();
    const rest = this.text.slice(this.pos);
    if (ch === '"') return this.readDoubleQuoted('"', '"');
    if (ch === "'") return this.readSingleQuoted("'", "'");
    if (ch === "[") return this.readArray();
    if (ch === "(") return { list: this.readList("(", ")") };
    if (/^-?\d/.test(rest)) return this.readNumber();
    const quoteLike = /^(qq|qr|qw|q)\s*([^\w\s])/.exec(rest);
    if (quoteLike) return this.readQuoteLike(quoteLike[1], quoteLike[0].length);
    if (ch === "$" || ch === "@") return this.fail("a Perl variable");
    if (rest.startsWith("<<")) return this.fail("a heredoc");
    return this.fail("this expression");
  }

  private readNumber(): string {
    const match = /^-?\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos),
    );
    this.pos += match![0].length;
    return String(Number(match![0].replace(/_/g, "")));
  }

  private readArray(): PerlValue[] {
    return this.readList("[", "]");
  }

  private readList(open: string, close: string): PerlValue[] {
    this.expect(open);
    const items: PerlValue[] = [];
    while (this.peek() !== close) {
      if (this.isAtEnd()) this.fail(`a missing "${close}"`);
      const item = this.readExpression();
      if (typeof item === "object" && "list" in item) items.push(...item.list);
      else items.push(item);
      if (this.peek() === ",") this.pos++;
      else if (this.text.slice(this.pos, this.pos + 2) === "=>") this.pos += 2;
      else if (this.peek() !== close) this.fail(`expected "," or "${close}"`);
    }
    this.pos++;
    return items;
  }

  private readQuoteLike(op: string, length: number): PerlValue | ParenList {
    const open = this.text[this.pos + length - 1];
    this.pos += length - 1;
    const close = CLOSING[open] ?? open;
    if (op === "q") return this.readSingleQuoted(open, close);
    if (op === "qq") return this.readDoubleQuoted(open, close);
    const raw = this.readDelimited(open, close);
    if (op === "qw") return { list: raw.split(/\s+/).filter((word) => word !== "") };
    const flags = /^[a-z]*/.exec(this.text.slice(this.pos))![0];
    this.pos += flags.length;
    return { kind: "regex", source: raw, flags };
  }

  /** Reads raw text up to the closing delimiter, honouring nesting. */
  private readDelimited(open: string, close: string): string {
    this.pos++;
    let depth = 1;
    let out = "";
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === "\\" && this.pos + 1 < this.text.length) {
        const next = this.text[this.pos + 1];
        // An escaped delimiter stands for itself, as in Perl.
        out += next === close || next === open ? next : ch + next;
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (ch === close && open !== close) depth--;
      else if (ch === open && open !== close) depth++;
      else if (ch === close) depth = 0;
      if (depth === 0) return out;
      out += ch;
    }
    return this.fail(`a missing closing "${close}"`);
  }

  private readSingleQuoted(open: string, close: string): string {
    const raw = this.readDelimited(open, close);
    return raw.replace(/\\\\/g, "\\");
  }

  private readDoubleQuoted(open: string, close: string): string {
    const raw = this.readDelimited(open, close);
    return interpolate(raw, (what) => this.fail(what));
  }
}

/** Resolves the escapes of a double-quoted string; variables fail. */
function interpolate(raw: string, fail: (what: string) => never): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if ((ch === "$" || ch === "@") && /[A-Za-z_{]/.test(raw[i + 1] ?? "")) {
      fail(`the Perl variable ${ch}${raw.slice(i + 1).split(/\W/)[0]}`);
    }
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = raw[++i] ?? "";
    const braced = /^x\{([0-9a-fA-F]+)\}/.exec(raw.slice(i));
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(raw.slice(i));
    const octal = /^([0-7]{1,3})/.exec(raw.slice(i));
    if (braced) {
      out += String.fromCodePoint(parseInt(braced[1], 16));
      i += braced[0].length - 1;
    } else if (hex) {
      out += String.fromCharCode(parseInt(hex[1], 16));
      i += hex[0].length - 1;
    } else if (octal) {
      out += String.fromCharCode(parseInt(octal[1], 8));
      i += octal[0].length - 1;
    } else {
      out += DOUBLE_ESCAPES[next] ?? next;
    }
  }
  return out;
}

function concat(a: string, b: string): string {
  return a + b;
}

function repeat(value: PerlValue | ParenList, count: number): PerlValue | ParenList {
  if (typeof value === "string") return value.repeat(count);
  if ("list" in value) {
    const list: PerlValue[] = [];
    for (let i = 0; i < count; i++) list.push(...value.list);
    return { list };
  }
  throw new PerlValueError("eval: only strings and (lists) can be repeated with x");
}

/**
 * Evaluates the text of an `eval` section. A trailing `;` is allowed; a
 * parenthesised list of one item is that item.
 */
export function evalPerl(text: string): PerlValue {
  const reader = new PerlReader(text);
  const value = reader.readExpression();
  if (reader.peek() === ";") reader.expect(";");
  if (!reader.isAtEnd()) reader.fail("text after the value");
  if (typeof value === "object" && "list" in value) {
    if (value.list.length === 1) return value.list[0];
    return reader.fail("a bare list (write it as [ ... ])");
  }
  return value;
}
