/**
 * `if (condition) { ... }` of ngx_http_rewrite_module, in server and location
 * blocks, with the rewrite module's own directives inside (set, rewrite,
 * return, break). Conditions are checked as ngx_http_rewrite_if_condition
 * does: a variable, `=`/`!=` against a string, or `~`, `~*`, `!~`, `!~*`
 * against a regex. File tests (`-f`, `-d`, ...) are refused.
 */
import type { ParseContext } from "./confTree";
import { emptyLevel } from "./confTree";
import { callError, type DirectiveCall, type DirectiveSpec } from "./directiveCall";
import { UnsupportedDirectiveError } from "./errors";
import type { IfCondition, RewriteStep } from "./types";

/** Directives that may appear inside an `if` block here. */
export const DIRECTIVES_IN_IF = new Set(["set", "rewrite", "return", "break"]);

const COMPARISONS = new Set(["=", "!="]);
const MATCHES = new Set(["~", "~*", "!~", "!~*"]);

/** Strips the condition's parentheses from the first and last words. */
function conditionWords(call: DirectiveCall): string[] {
  const words = call.args.map((word) => word.value);
  if (!words[0]?.startsWith("(")) throw callError(call, `invalid condition "${words[0] ?? ""}"`);
  if (!words[words.length - 1].endsWith(")")) {
    throw callError(call, `invalid condition "${words[words.length - 1]}"`);
  }
  words[0] = words[0].slice(1);
  words[words.length - 1] = words[words.length - 1].slice(0, -1);
  return words.filter((word, i) => word !== "" || (i !== 0 && i !== words.length - 1));
}

function parseCondition(call: DirectiveCall): IfCondition {
  const words = conditionWords(call);
  const [left, op, right] = words;
  if (words.length === 1) {
    if (!left.startsWith("$")) throw callError(call, `invalid condition "${left}"`);
    return { kind: "variable", value: left };
  }
  if (words.length === 2 && /^!?-[fdex]$/.test(left)) {
    throw new UnsupportedDirectiveError(`if (${left} ...)`, call.src);
  }
  if (words.length !== 3) throw callError(call, `invalid condition "${words.join(" ")}"`);
  if (!left.startsWith("$")) throw callError(call, `invalid condition "${left}"`);
  if (COMPARISONS.has(op)) return { kind: "compare", left, op: op as "=" | "!=", right };
  if (MATCHES.has(op)) {
    const isCaseless = op.endsWith("*");
    try {
      return { kind: "match", left, isNegated: op.startsWith("!"), regex: new RegExp(right, isCaseless ? "i" : "") };
    } catch {
      throw callError(call, `pcre2_compile() failed: invalid pattern in "${right}"`);
    }
  }
  throw callError(call, `unexpected "${op}" in condition`);
}

export const ifBlock: DirectiveSpec = {
  contexts: ["server", "location"],
  args: { min: 1 },
  isBlock: true,
  handle(ctx: ParseContext, call) {
    const level = ctx.level;
    if (!level) return;
    const steps: RewriteStep[] = [];
    level.rewrite.push({ kind: "if", condition: parseCondition(call), steps, src: call.src });
    // The block's own level collects only its rewrite directives.
    return { ...ctx, kind: "if", level: { ...emptyLevel(), rewrite: steps } };
  },
};

export const breakDirective: DirectiveSpec = {
  contexts: ["server", "location", "if"],
  args: [0],
  handle(ctx: ParseContext, call) {
    ctx.level?.rewrite.push({ kind: "break", src: call.src });
  },
};
