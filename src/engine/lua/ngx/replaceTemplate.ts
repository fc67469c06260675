/**
 * ngx.re.sub's replacement templates, with lua-nginx-module's rules:
 * `$0`..`$N` and `${N}` insert a group (empty if it did not match or does
 * not exist), `$$` is a dollar sign, and named groups such as `${name}`
 * are rejected ("named captures not supported yet").
 */

/** A literal run of bytes or a group number. */
export type TemplatePart = Uint8Array | number;

const DOLLAR = 0x24;
const OPEN = 0x7b;
const CLOSE = 0x7d;

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function isNameByte(b: number): boolean {
  return isDigit(b) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
}

/**
 * Parses a template. Returns its parts, or the message nginx logs at the
 * error level when the template is invalid.
 */
export function compileReplaceTemplate(template: Uint8Array): TemplatePart[] | string {
  const text = new TextDecoder().decode(template);
  const invalid = `lua script: invalid capturing variable name found in "${text}"`;
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < template.length) {
    if (template[i] !== DOLLAR) {
      const start = i;
      while (i < template.length && template[i] !== DOLLAR) i++;
      parts.push(template.subarray(start, i));
      continue;
    }
    if (++i === template.length) return invalid;
    if (template[i] === DOLLAR) {
      parts.push(template.subarray(i, i + 1));
      i++;
      continue;
    }
    const isBracketed = template[i] === OPEN;
    if (isBracketed && ++i === template.length) return invalid;
    const isNumber = isDigit(template[i]);
    const start = i;
    let isClosed = !isBracketed;
    while (i < template.length) {
      const b = template[i];
      if (b === CLOSE && isBracketed) {
        isClosed = true;
        break;
      }
      if (isNumber ? !isDigit(b) : !isNameByte(b)) break;
      i++;
    }
    const name = new TextDecoder().decode(template.subarray(start, i));
    if (isBracketed && isClosed) i++;
    if (!isClosed) return `the closing bracket in "${name}" variable is missing`;
    if (name.length === 0) return invalid;
    if (!isNumber) {
      return `attempt to use named capturing variable "${name}" (named captures not supported yet)`;
    }
    parts.push(Number(name));
  }
  return parts;
}

/** Expands parsed parts for one match; `ovector` contains byte offsets. */
export function expandTemplate(
  parts: TemplatePart[],
  subject: Uint8Array,
  ovector: number[],
): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    if (typeof part !== "number") {
      pieces.push(part);
      continue;
    }
    const from = ovector[part * 2];
    const to = ovector[part * 2 + 1];
    if (from === undefined || from < 0) continue;
    pieces.push(subject.subarray(from, to));
  }
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
