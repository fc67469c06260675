/**
 * `upstream NAME { server ADDRESS ...; }` blocks of ngx_http_upstream_module
 * with its round-robin balancer. A server must be this nginx itself: an IP
 * address or localhost, as the simulated network has no other hosts.
 */
import type { ParseContext, RawUpstream } from "./confTree";
import { callError, type DirectiveSpec } from "./directiveCall";
import { ConfigError, type HttpConfig, type Location } from "./types";

/** Parameters of `server` in an upstream block that the simulator accepts. */
const SERVER_PARAMS = /^(weight|max_fails|fail_timeout|max_conns)=\S+$|^(backup|down)$/;

/** True for an address the simulator can connect to without a resolver. */
export function isLocalHost(host: string): boolean {
  return host === "localhost" || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[");
}

export const upstreamBlock: DirectiveSpec = {
  contexts: ["http"],
  args: [1],
  isBlock: true,
  handle(ctx: ParseContext, call) {
    const http = ctx.http;
    if (!http) return;
    const name = call.args[0].value;
    if (http.upstreams.some((u) => u.name === name)) {
      throw callError(call, `duplicate upstream "${name}"`);
    }
    const block: RawUpstream = { name, servers: [], src: call.src };
    http.upstreams.push(block);
    return { ...ctx, kind: "upstream", upstream: block, level: undefined };
  },
};

/** `server ADDRESS[:PORT] [weight=N] [backup] [down] ...;` inside an upstream block. */
export const upstreamServer: DirectiveSpec = {
  contexts: ["upstream"],
  args: { min: 1 },
  handle(ctx: ParseContext, call) {
    const upstream = ctx.upstream;
    if (!upstream) return;
    const address = call.args[0].value;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(address);
    if (!m) throw callError(call, `invalid host in upstream "${address}"`);
    if (!isLocalHost(m[1])) throw callError(call, `host not found in upstream "${address}"`);
    let weight = 1;
    let isBackup = false;
    let isDown = false;
    for (const word of call.args.slice(1)) {
      const param = word.value;
      if (!SERVER_PARAMS.test(param)) throw callError(call, `invalid parameter "${param}"`);
      if (param.startsWith("weight=")) weight = Number(param.slice(7));
      if (param === "backup") isBackup = true;
      if (param === "down") isDown = true;
    }
    upstream.servers.push({
      host: m[1] === "localhost" ? "127.0.0.1" : m[1],
      port: m[2] === undefined ? 80 : Number(m[2]),
      weight,
      isBackup,
      isDown,
      src: call.src,
    });
  },
};

/** `keepalive N` and the like: accepted, with no effect on the simulated network. */
export const upstreamIgnored: DirectiveSpec = {
  contexts: ["upstream"],
  args: [1],
  handle: () => undefined,
};

/**
 * Checks what nginx checks once the http block is read: every upstream has
 * a server, and a proxy_pass host without variables names an upstream or
 * an address. Throws nginx's error for the first problem.
 */
export function checkUpstreams(http: HttpConfig, raw: RawUpstream[]): void {
  for (const upstream of raw) {
    if (upstream.servers.length === 0) {
      const src = upstream.endSrc ?? upstream.src;
      throw new ConfigError(`no servers are inside upstream in ${src.file}:${src.line}`, src);
    }
  }
  const visit = (locations: Location[]) => {
    for (const location of locations) {
      const proxy = location.proxyPass;
      if (proxy && !proxy.hasVariables) {
        const host = /^https?:\/\/([^/?:]+)/i.exec(proxy.url)?.[1] ?? "";
        if (!isLocalHost(host) && !http.upstreams.has(host)) {
          throw new ConfigError(
            `host not found in upstream "${host}" in ${proxy.src.file}:${proxy.src.line}`,
            proxy.src,
          );
        }
      }
      visit(location.locations);
    }
  };
  for (const server of http.servers) visit(server.locations);
}
