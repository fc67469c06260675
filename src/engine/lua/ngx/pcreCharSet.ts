/**
 * Character sets of PCRE (classes, \d \s \w \h \v, POSIX classes) as
 * code point ranges. The translator adds case variants and complements
 * itself, so the JavaScript class it emits matches what PCRE matches
 * without the UCP option, where \d, \s and \w stay ASCII.
 */

/** Inclusive code point ranges. */
export type Ranges = Array<[number, number]>;

const DIGIT: Ranges = [[0x30, 0x39]];
const WORD: Ranges = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
const SPACE: Ranges = [
  [0x09, 0x0d],
  [0x20, 0x20],
];
const HORIZONTAL_LATIN1: Ranges = [
  [0x09, 0x09],
  [0x20, 0x20],
  [0xa0, 0xa0],
];
const HORIZONTAL_UNICODE: Ranges = [
  [0x1680, 0x1680],
  [0x180e, 0x180e],
  [0x2000, 0x200a],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];
const VERTICAL_LATIN1: Ranges = [
  [0x0a, 0x0d],
  [0x85, 0x85],
];
const VERTICAL_UNICODE: Ranges = [[0x2028, 0x2029]];

const POSIX_CLASSES: Record<string, Ranges> = {
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  digit: DIGIT,
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  upper: [[0x41, 0x5a]],
  lower: [[0x61, 0x7a]],
  space: SPACE,
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  print: [[0x20, 0x7e]],
  graph: [[0x21, 0x7e]],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
  word: WORD,
  ascii: [[0x00, 0x7f]],
};

/** Ranges of a POSIX class name such as "alpha", or null if unknown. */
export function posixClassRanges(name: string): Ranges | null {
  return POSIX_CLASSES[name] ?? null;
}

/**
 * Ranges of the class escape letter (d, s, w, h, v and their upper-case
 * complements), or null for any other letter. `maxCodePoint` is 0xff for
 * byte subjects and 0x10ffff in UTF-8 mode.
 */
export function escapeClassRanges(letter: string, maxCodePoint: number): Ranges | null {
  const isUtf = maxCodePoint > 0xff;
  const lower = letter.toLowerCase();
  let ranges: Ranges;
  if (lower === "d") ranges = DIGIT;
  else if (lower === "w") ranges = WORD;
  else if (lower === "s") ranges = SPACE;
  else if (lower === "h") {
    ranges = isUtf ? [...HORIZONTAL_LATIN1, ...HORIZONTAL_UNICODE] : HORIZONTAL_LATIN1;
  } else if (lower === "v") {
    ranges = isUtf ? [...VERTICAL_LATIN1, ...VERTICAL_UNICODE] : VERTICAL_LATIN1;
  } else return null;
  return letter === lower ? ranges : complement(ranges, maxCodePoint);
}

/** Sorts and merges overlapping or adjacent ranges. */
export function normalize(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Ranges = [];
  for (const [lo, hi] of sorted) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

/** Returns the code points 0..maxCodePoint that are not in `ranges`. */
export function complement(ranges: Ranges, maxCodePoint: number): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= maxCodePoint) out.push([next, maxCodePoint]);
  return out;
}

/** Code points that differ from `cp` only by case (ASCII only for bytes). */
export function caseVariants(cp: number, isUtf: boolean): number[] {
  if (cp < 0x80) {
    if (cp >= 0x41 && cp <= 0x5a) return [cp + 0x20];
    if (cp >= 0x61 && cp <= 0x7a) return [cp - 0x20];
    return [];
  }
  if (!isUtf) return [];
  const ch = String.fromCodePoint(cp);
  const variants = new Set<number>();
  for (const other of [ch.toLowerCase(), ch.toUpperCase()]) {
    const code = other.codePointAt(0) ?? cp;
    if ([...other].length === 1 && code !== cp) variants.add(code);
  }
  return [...variants];
}

/** The largest range whose case variants are added one code point at a time. */
const MAX_FOLDED_RANGE = 0x3000;

/** Adds the case variants of every code point in `ranges`. */
export function addCaseVariants(ranges: Ranges, isUtf: boolean): Ranges {
  const out: Ranges = [...ranges];
  for (const [lo, hi] of ranges) {
    const asciiLo = Math.max(lo, 0x41);
    const asciiHi = Math.min(hi, 0x7a);
    for (let cp = asciiLo; cp <= asciiHi; cp++) {
      for (const v of caseVariants(cp, isUtf)) out.push([v, v]);
    }
    if (!isUtf || hi < 0x80) continue;
    // NOTE: only ranges up to MAX_FOLDED_RANGE code points get their
    // non-ASCII case variants; wider ranges rarely leave one case out.
    if (hi - lo > MAX_FOLDED_RANGE) continue;
    for (let cp = Math.max(lo, 0x80); cp <= hi; cp++) {
      for (const v of caseVariants(cp, isUtf)) out.push([v, v]);
    }
  }
  return normalize(out);
}

/** Writes one code point for use inside a JavaScript class or pattern. */
export function escapeCodePoint(cp: number, isUtf: boolean): string {
  if (cp >= 0x30 && cp <= 0x39) return String.fromCharCode(cp);
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCharCode(cp);
  }
  if (cp === 0x5f || cp === 0x20) return String.fromCharCode(cp);
  if (cp <= 0xff) return "\\x" + cp.toString(16).padStart(2, "0");
  if (cp <= 0xffff) return "\\u" + cp.toString(16).padStart(4, "0");
  if (isUtf) return "\\u{" + cp.toString(16) + "}";
  throw new Error(`code point ${cp} cannot occur in a byte pattern`);
}

/** Writes a JavaScript class (`[...]`) matching exactly the code points in `ranges`. */
export function rangesToClass(ranges: Ranges, isUtf: boolean, extra = ""): string {
  const parts = normalize(ranges).map(([lo, hi]) => {
    if (lo === hi) return escapeCodePoint(lo, isUtf);
    return `${escapeCodePoint(lo, isUtf)}-${escapeCodePoint(hi, isUtf)}`;
  });
  const body = parts.join("") + extra;
  return body === "" ? "[^\\s\\S]" : `[${body}]`;
}
