/**
 * `proxy_pass URL` of ngx_http_proxy_module, checked as
 * ngx_http_proxy_pass does. Only http:// to an IP address or localhost
 * can be simulated: the upstream is one of this nginx's own servers.
 */
import type { ParseContext } from "./confTree";
import { callError, markOnce, type DirectiveSpec } from "./directiveCall";
import type { ProxyPass } from "./types";

/** Splits `host[:port][/uri]` (after the scheme) into its parts. */
function splitAuthority(rest: string): { host: string; port: number | null; uri: string } | null {
  const slash = rest.search(/[/?]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const uri = slash < 0 ? "" : rest.slice(slash);
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  if (!m) return null;
  return { host: m[1], port: m[2] === undefined ? null : Number(m[2]), uri };
}

export const proxyPass: DirectiveSpec = {
  contexts: ["location"],
  args: [1],
  handle(ctx: ParseContext, call) {
    const location = ctx.location;
    if (!location) return;
    markOnce(location.seen, call);
    const url = call.args[0].value;
    const scheme = /^https?:\/\//i.exec(url)?.[0].toLowerCase();
    if (!scheme) throw callError(call, "invalid URL prefix");
    if (scheme === "https://") {
      throw callError(call, '"proxy_pass" to https:// is not supported by this simulator');
    }
    const hasVariables = url.includes("$");
    const rest = url.slice(scheme.length);
    const parts = hasVariables ? null : splitAuthority(rest);
    if (!hasVariables) {
      if (!parts || parts.host === "") throw callError(call, `invalid host in upstream "${rest}"`);
      // A name is an upstream block's, checked once the whole http block is read.
      const isRegex = location.modifier === "~" || location.modifier === "~*";
      if (parts.uri !== "" && (isRegex || location.modifier === "@")) {
        throw callError(
          call,
          '"proxy_pass" cannot have URI part in location given by regular expression, ' +
            'or inside named location, or inside "if" statement, or inside "limit_except" block',
        );
      }
    }
    // The settings in effect are merged in later, with the outer levels'.
    const spec: ProxyPass = { url, hasVariables, setHeaders: [], httpVersion: "1.0", src: call.src };
    location.proxyPass = spec;
  },
};

export const proxySetHeader: DirectiveSpec = {
  contexts: ["http", "server", "location"],
  args: [2],
  handle(ctx: ParseContext, call) {
    const level = ctx.level;
    if (!level) return;
    level.proxySetHeaders ??= [];
    level.proxySetHeaders.push({ name: call.args[0].value, value: call.args[1].value, src: call.src });
  },
};

export const proxyHttpVersion: DirectiveSpec = {
  contexts: ["http", "server", "location"],
  args: [1],
  handle(ctx: ParseContext, call) {
    const level = ctx.level;
    if (!level) return;
    markOnce(level.seen, call);
    const value = call.args[0].value;
    if (value !== "1.0" && value !== "1.1") throw callError(call, `invalid value "${value}"`);
    level.proxyHttpVersion = value;
  },
};
