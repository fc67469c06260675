/**
 * `map SOURCE $TARGET { ... }` of ngx_http_map_module. Inside the block each
 * statement is a key and a value: `default`, exact strings, and `~` (or `~*`
 * for caseless) regexes, tried in that order as ngx_http_map_find does.
 */
import type { ParseContext, RawMap } from "./confTree";
import { callError, type DirectiveCall, type DirectiveSpec } from "./directiveCall";
import { UnsupportedDirectiveError } from "./errors";

export const mapBlock: DirectiveSpec = {
  contexts: ["http"],
  args: [2],
  isBlock: true,
  handle(ctx: ParseContext, call) {
    const http = ctx.http;
    if (!http) return;
    const target = call.args[1].value;
    if (!target.startsWith("$")) throw callError(call, `invalid variable name "${target}"`);
    const block: RawMap = {
      source: call.args[0].value,
      target: target.slice(1).toLowerCase(),
      exact: new Map(),
      regexes: [],
      defaultValue: "",
      src: call.src,
    };
    http.maps.push(block);
    return { ...ctx, kind: "map", map: block, level: undefined };
  },
};

/** Adds one `key value;` statement of a map block. */
export function addMapEntry(map: RawMap, call: DirectiveCall): void {
  const words = [call.name, ...call.args.map((word) => word.value)];
  if (words.length === 1 && words[0] === "volatile") return;
  // Wildcard host keys and included key files would match differently if
  // they were taken as plain keys, so they are refused.
  if ((words.length === 1 && words[0] === "hostnames") || (words.length === 2 && words[0] === "include")) {
    throw new UnsupportedDirectiveError(`map ${words[0]}`, call.src);
  }
  if (words.length !== 2) throw callError(call, "invalid number of the map parameters");
  const [key, value] = words;
  if (key === "default") {
    map.defaultValue = value;
    return;
  }
  if (key.startsWith("~")) {
    const isCaseless = key.startsWith("~*");
    const pattern = key.slice(isCaseless ? 2 : 1);
    try {
      map.regexes.push({ regex: new RegExp(pattern, isCaseless ? "i" : ""), value });
    } catch {
      throw callError(call, `pcre2_compile() failed: invalid pattern in "${pattern}"`);
    }
    return;
  }
  map.exact.set(key.startsWith("\\") ? key.slice(1) : key, value);
}
