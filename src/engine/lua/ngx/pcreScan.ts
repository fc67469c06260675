/**
 * Pre-scans of a PCRE pattern that the translator needs before or after
 * it reaches a construct: the number of capture groups, and whether a
 * lookbehind body has a fixed length as PCRE2 10.42 requires.
 */

const CH = (s: string) => s.codePointAt(0) as number;

function isDigit(cp: number | undefined): boolean {
  return cp !== undefined && cp >= 0x30 && cp <= 0x39;
}

function isWordChar(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  const isLetter = (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  return isLetter || isDigit(cp) || cp === 0x5f;
}

/** Counts capture groups up front, so that `\12` can be distinguished from an octal escape. */
export function countGroups(cps: number[]): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (c === CH("\\")) i++;
    else if (inClass) inClass = c !== CH("]");
    else if (c === CH("[")) inClass = true;
    else if (c === CH("(")) {
      if (cps[i + 1] !== CH("?")) count += cps[i + 1] === CH("*") ? 0 : 1;
      else if (cps[i + 2] === CH("<") && isWordChar(cps[i + 3])) count++;
      else if (cps[i + 2] === CH("'")) count++;
      else if (cps[i + 2] === CH("P") && cps[i + 3] === CH("<")) count++;
    }
  }
  return count;
}

/** Tests whether a lookbehind body (PCRE source) can match texts of different lengths. */
export function isVariableLength(cps: number[], from: number, to: number): boolean {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = cps[i];
    if (c === CH("\\")) {
      const next = cps[i + 1];
      if (isDigit(next) && next !== CH("0")) return true;
      if (next === CH("g") || next === CH("k") || next === CH("R")) return true;
      i++;
    } else if (c === CH("[")) {
      i++;
      if (cps[i] === CH("^")) i++;
      if (cps[i] === CH("]")) i++;
      while (i < to && cps[i] !== CH("]")) i += cps[i] === CH("\\") ? 2 : 1;
    } else if (c === CH("(")) depth++;
    else if (c === CH(")")) depth--;
    else if (c === CH("|") && depth > 0) return true;
    else if ((c === CH("*") || c === CH("+")) && cps[i - 1] !== CH("(")) return true;
    else if (c === CH("?") && cps[i - 1] !== CH("(")) return true;
    else if (c === CH("{")) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCodePoint(...cps.slice(i, i + 14)));
      if (m && m[2] !== undefined && m[3] !== m[1]) return true;
    }
  }
  return false;
}
