/**
 * Number-to-text conversions of LuaJIT 2.1 and lua-nginx-module.
 *
 * LuaJIT has only doubles and prints them with C's "%.14g" (10/2 is "5",
 * 2^53 is "9.007199254741e+15"). The patched fengari (lnumfmt.js in
 * patches/fengari+0.1.5.patch) carries a JavaScript copy of formatLuaNumber,
 * because a CommonJS dependency cannot import this TypeScript module; the
 * tests check that both produce the same text.
 */

/**
 * NOTE: x86 LuaJIT prints the default NaN (0/0) as "-nan". JavaScript cannot
 * see a NaN's sign bit, so every NaN prints as "-nan".
 */
const NAN_TEXT = "-nan";

/** Splits a positive finite double into m * 2^e with an integer m. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  let exponent = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    exponent--;
  }
  return { mantissa: BigInt(x), exponent };
}

/** Whether the positive double x equals digits * 10^exp10 exactly. */
function isExactDecimal(x: number, digits: bigint, exp10: number): boolean {
  const { mantissa, exponent } = decompose(x);
  let lhs = mantissa;
  let rhs = digits;
  if (exponent >= 0) lhs <<= BigInt(exponent);
  else rhs <<= BigInt(-exponent);
  if (exp10 >= 0) rhs *= 10n ** BigInt(exp10);
  else lhs *= 10n ** BigInt(-exp10);
  return lhs === rhs;
}

interface SignificantDigits {
  digits: string;
  exponent: number;
}

function parseExponential(text: string): SignificantDigits {
  const e = text.indexOf("e");
  return {
    digits: text.slice(0, e).replace(".", ""),
    exponent: Number(text.slice(e + 1)),
  };
}

/**
 * Rounds positive finite x to `sig` significant digits as glibc does:
 * JavaScript rounds exact ties away from zero, C rounds them to even.
 */
function roundSignificant(x: number, sig: number): SignificantDigits {
  const rounded = parseExponential(x.toExponential(sig - 1));
  const longer = parseExponential(x.toExponential(sig));
  if (longer.digits.charAt(sig) !== "5") return rounded;
  const exp10 = longer.exponent - sig;
  if (!isExactDecimal(x, BigInt(longer.digits), exp10)) return rounded;
  const kept = longer.digits.slice(0, sig);
  const lastDigit = Number(kept.charAt(sig - 1));
  if (lastDigit % 2 === 0) return { digits: kept, exponent: longer.exponent };
  return rounded;
}

/** C's "%.Nf" of positive finite x below 1e21, ties to even. */
function toFixedC(x: number, precision: number): string {
  const rounded = x.toFixed(precision);
  const longer = x.toFixed(precision + 1);
  if (!longer.endsWith("5")) return rounded;
  const digits = BigInt(longer.replace(".", ""));
  if (!isExactDecimal(x, digits, -(precision + 1))) return rounded;
  let kept = longer.slice(0, -1);
  if (precision === 0) kept = kept.slice(0, -1);
  const lastDigit = Number(kept.charAt(kept.length - 1));
  return lastDigit % 2 === 0 ? kept : rounded;
}

function stripZeros(text: string): string {
  if (!text.includes(".")) return text;
  const trimmed = text.replace(/0+$/, "");
  return trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed;
}

function exponentSuffix(exponent: number): string {
  const abs = Math.abs(exponent);
  return (exponent < 0 ? "e-" : "e+") + (abs < 10 ? "0" : "") + abs;
}

/** C's "%.14g" of a positive finite, non-zero x. */
function formatG14Positive(x: number): string {
  const precision = 14;
  const { digits, exponent } = roundSignificant(x, precision);
  if (exponent < -4 || exponent >= precision) {
    const mantissa = stripZeros(digits.charAt(0) + "." + digits.slice(1));
    return mantissa + exponentSuffix(exponent);
  }
  return stripZeros(toFixedC(x, precision - 1 - exponent));
}

/**
 * Formats a number as LuaJIT's tostring, `..` and print do ("%.14g"):
 * 10/2 -> "5", 1/3 -> "0.33333333333333", 1e15 -> "1e+15", -0.0 -> "-0",
 * 1/0 -> "inf", 0/0 -> "-nan".
 */
export function formatLuaNumber(n: number): string {
  if (Number.isInteger(n) && n < 1e14 && n > -1e14) {
    return Object.is(n, -0) ? "-0" : String(n);
  }
  if (Number.isNaN(n)) return NAN_TEXT;
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return n < 0 ? "-" + formatG14Positive(-n) : formatG14Positive(n);
}

/**
 * Formats a number as ngx.say, ngx.print and ngx.log do: an integral value
 * that fits a signed 32-bit int prints as that integer (so -0.0 is "0"),
 * anything else as "%.14g" (2^31 -> "2147483648", 1e15 -> "1e+15").
 */
export function formatNgxNumber(n: number): string {
  if (n === (n | 0)) return String(n | 0);
  return formatLuaNumber(n);
}
