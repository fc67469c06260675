/**
 * nginx core directives: main, events, http, server and location blocks,
 * the rewrite module (set, rewrite, return), headers and error pages.
 * Directives that change nothing the simulator runs are checked for their
 * context and argument count, then ignored.
 */
import {
  emptyLevel,
  type ContextKind,
  type LevelSettings,
  type ParseContext,
  type RawHttp,
  type RawServer,
} from "./confTree";
import {
  callError,
  directiveError,
  ignoredDirective,
  markOnce,
  parseFlag,
  parseNumber,
  type ArgCount,
  type DirectiveSpec,
} from "./directiveCall";
import { locationDirective } from "./location";
import { proxyHttpVersion, proxyPass, proxySetHeader } from "./proxyDirectives";
import { upstreamBlock } from "./upstreamDirectives";
import { mapBlock } from "./mapDirectives";
import { breakDirective, ifBlock } from "./ifDirective";
import type { ErrorPage, LogLevel } from "./types";
import { LOG_LEVELS, parseListenAddress, parseSize, parseTimeMs } from "./values";

const MAIN: ContextKind[] = ["main"];
const HTTP: ContextKind[] = ["http"];
const HSL: ContextKind[] = ["http", "server", "location"];
const HS: ContextKind[] = ["http", "server"];
/** Server, location and an `if` block inside either. */
const SLI: ContextKind[] = ["server", "location", "if"];
const ANY: ContextKind[] = ["main", "events", "http", "server", "location"];


/** Returns the settings of the innermost http, server or location block. */
function levelOf(ctx: ParseContext): LevelSettings {
  if (!ctx.level) throw new Error(`no level settings in ${ctx.kind}`);
  return ctx.level;
}

/** Builds a directive that is checked, then ignored. */
function ignored(contexts: ContextKind[], args: ArgCount): DirectiveSpec {
  return { contexts, args, handle: () => undefined };
}

const ignoredOnce = ignoredDirective;

function flagOnce(contexts: ContextKind[]): DirectiveSpec {
  return ignoredOnce(contexts, [1], (call) => void parseFlag(call));
}

function sizeOnce(contexts: ContextKind[]): DirectiveSpec {
  return ignoredOnce(contexts, [1], (call) => {
    if (parseSize(call.args[0].value) === null) {
      throw directiveError(call, "invalid value");
    }
  });
}

function timeOnce(contexts: ContextKind[], args: ArgCount): DirectiveSpec {
  return ignoredOnce(contexts, args, (call) => {
    if (parseTimeMs(call.args[0].value) === null) {
      throw directiveError(call, "invalid value");
    }
  });
}

function numberOnce(contexts: ContextKind[]): DirectiveSpec {
  return ignoredOnce(contexts, [1], (call) => void parseNumber(call));
}

const workerProcesses: DirectiveSpec = {
  contexts: MAIN,
  args: [1],
  handle(ctx, call) {
    markOnce(ctx.main.seen, call);
    const value = call.args[0].value;
    if (value === "auto") {
      ctx.main.workerProcesses = "auto";
      return;
    }
    if (!/^\d+$/.test(value)) throw directiveError(call, "invalid value");
    const count = Number(value);
    if (count < 1 || count > 16) {
      throw callError(
        call,
        `worker_processes ${count} is not supported by this simulator ` +
          "(it runs 1 to 16 workers)",
      );
    }
    ctx.main.workerProcesses = count;
  },
};

const errorLog: DirectiveSpec = {
  contexts: ANY.filter((kind) => kind !== "events"),
  args: { min: 1 },
  handle(ctx, call) {
    const levels = call.args.slice(1).map((word) => word.value);
    for (const level of levels) {
      if (!LOG_LEVELS.includes(level as LogLevel)) {
        throw callError(call, `invalid log level "${level}"`);
      }
    }
    if (ctx.kind === "main") {
      ctx.main.errorLogLevels.push((levels[0] ?? "error") as LogLevel);
    }
  },
};

const events: DirectiveSpec = {
  contexts: MAIN,
  args: [0],
  isBlock: true,
  handle(ctx, call) {
    markOnce(ctx.main.seen, call);
    ctx.main.hasEvents = true;
    return { kind: "events", main: ctx.main };
  },
};

const http: DirectiveSpec = {
  contexts: MAIN,
  args: [0],
  isBlock: true,
  handle(ctx, call) {
    markOnce(ctx.main.seen, call);
    const block: RawHttp = {
      ...emptyLevel(),
      sharedDicts: [],
      packagePath: null,
      luaCodeCache: null,
      luaMaxPendingTimers: null,
      luaMaxRunningTimers: null,
      servers: [],
      upstreams: [],
      maps: [],
    };
    ctx.main.http = block;
    return { kind: "http", main: ctx.main, http: block, level: block };
  },
};

const server: DirectiveSpec = {
  contexts: HTTP,
  args: [0],
  isBlock: true,
  handle(ctx, call) {
    const block: RawServer = {
      ...emptyLevel(),
      listen: [],
      serverNames: [],
      locations: [],
      src: call.src,
    };
    ctx.http?.servers.push(block);
    return { ...ctx, kind: "server", server: block, level: block };
  },
};

const LISTEN_FLAGS = new Set([
  "default_server",
  "default",
  "reuseport",
  "deferred",
  "bind",
  "http2",
  "ssl",
  "proxy_protocol",
]);
const LISTEN_PARAMS = /^(backlog|rcvbuf|sndbuf|setfib|fastopen|so_keepalive|ipv6only|accept_filter)=/;

const listen: DirectiveSpec = {
  contexts: ["server"],
  args: { min: 1 },
  handle(ctx, call) {
    const text = call.args[0].value;
    const parsed = parseListenAddress(text);
    if ("error" in parsed) {
      throw callError(call, `${parsed.error} of the "listen" directive`);
    }
    let isDefaultServer = false;
    for (const word of call.args.slice(1)) {
      if (word.value === "default_server" || word.value === "default") {
        isDefaultServer = true;
      } else if (!LISTEN_FLAGS.has(word.value)) {
        if (!LISTEN_PARAMS.test(word.value)) {
          throw callError(call, `invalid parameter "${word.value}"`);
        }
      }
    }
    ctx.server?.listen.push({ ...parsed, isDefaultServer });
  },
};

const serverName: DirectiveSpec = {
  contexts: ["server"],
  args: { min: 1 },
  handle(ctx, call) {
    ctx.server?.serverNames.push(...call.args.map((word) => word.value));
  },
};

const set: DirectiveSpec = {
  contexts: SLI,
  args: [2],
  handle(ctx, call) {
    const variable = call.args[0].value;
    if (!variable.startsWith("$")) {
      throw callError(call, `invalid variable name "${variable}"`);
    }
    levelOf(ctx).rewrite.push({
      kind: "set",
      variable: variable.slice(1),
      value: call.args[1].value,
      src: call.src,
    });
  },
};

const REWRITE_FLAGS = ["last", "break", "redirect", "permanent"] as const;

const rewrite: DirectiveSpec = {
  contexts: SLI,
  args: [2, 3],
  handle(ctx, call) {
    let flag: (typeof REWRITE_FLAGS)[number] | null = null;
    if (call.args.length === 3) {
      const word = call.args[2].value;
      const known = REWRITE_FLAGS.find((name) => name === word);
      if (!known) throw callError(call, `invalid parameter "${word}"`);
      flag = known;
    }
    levelOf(ctx).rewrite.push({
      kind: "rewrite",
      regex: call.args[0].value,
      replacement: call.args[1].value,
      flag,
      src: call.src,
    });
  },
};

const returnDirective: DirectiveSpec = {
  contexts: SLI,
  args: [1, 2],
  handle(ctx, call) {
    const first = call.args[0].value;
    let code: number;
    let text: string | null = call.args[1]?.value ?? null;
    if (/^\d+$/.test(first) && Number(first) <= 999) {
      code = Number(first);
    } else if (
      call.args.length === 1 &&
      /^(https?:\/\/|\$scheme)/.test(first)
    ) {
      code = 302;
      text = first;
    } else {
      throw callError(call, `invalid return code "${first}"`);
    }
    levelOf(ctx).rewrite.push({ kind: "return", code, text, src: call.src });
  },
};

const errorPage: DirectiveSpec = {
  contexts: HSL,
  args: { min: 2 },
  handle(ctx, call) {
    const words = call.args.map((word) => word.value);
    const uri = words[words.length - 1];
    let overwrite: ErrorPage["overwrite"];
    const codes: number[] = [];
    for (const word of words.slice(0, -1)) {
      if (word.startsWith("=")) {
        const rest = word.slice(1);
        if (rest === "") {
          overwrite = "=";
        } else if (/^\d+$/.test(rest)) {
          overwrite = Number(rest);
        } else {
          throw callError(call, `invalid value "${word}"`);
        }
        continue;
      }
      if (!/^\d+$/.test(word)) throw callError(call, `invalid value "${word}"`);
      const code = Number(word);
      if (code < 300 || code > 599) {
        throw callError(call, `value "${word}" must be between 300 and 599`);
      }
      codes.push(code);
    }
    const level = levelOf(ctx);
    level.errorPages ??= [];
    level.errorPages.push({ codes, overwrite, uri, src: call.src });
  },
};

const addHeader: DirectiveSpec = {
  contexts: HSL,
  args: [2, 3],
  handle(ctx, call) {
    const always = call.args[2]?.value;
    if (always !== undefined && always !== "always") {
      throw callError(call, `invalid parameter "${always}"`);
    }
    const level = levelOf(ctx);
    level.addHeaders ??= [];
    level.addHeaders.push({
      name: call.args[0].value,
      value: call.args[1].value,
      always: always !== undefined,
      src: call.src,
    });
  },
};

const defaultType: DirectiveSpec = {
  contexts: HSL,
  args: [1],
  handle(ctx, call) {
    const level = levelOf(ctx);
    markOnce(level.seen, call);
    level.defaultType = call.args[0].value;
  },
};

const include: DirectiveSpec = {
  contexts: ANY,
  args: [1],
  handle(_ctx, call) {
    const file = call.src.file;
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
    const name = call.args[0].value;
    const path = name.startsWith("/") || dir === "" ? name : `${dir}/${name}`;
    throw callError(
      call,
      `open() "${path}" failed (2: No such file or directory)`,
    );
  },
};

const tempPath = (): DirectiveSpec => ignoredOnce(HSL, [1, 2, 3, 4]);

/** Core directives by name. */
export const CORE_DIRECTIVES: Record<string, DirectiveSpec> = {
  worker_processes: workerProcesses,
  daemon: flagOnce(MAIN),
  master_process: flagOnce(MAIN),
  pid: ignoredOnce(MAIN, [1]),
  load_module: ignored(MAIN, [1]),
  user: ignoredOnce(MAIN, [1, 2]),
  worker_rlimit_nofile: numberOnce(MAIN),
  env: ignored(MAIN, [1]),
  pcre_jit: flagOnce(MAIN),
  timer_resolution: timeOnce(MAIN, [1]),
  worker_shutdown_timeout: timeOnce(MAIN, [1]),
  error_log: errorLog,
  events,
  worker_connections: numberOnce(["events"]),
  use: ignoredOnce(["events"], [1]),
  multi_accept: flagOnce(["events"]),
  accept_mutex: flagOnce(["events"]),
  http,
  server,
  listen,
  server_name: serverName,
  location: locationDirective,
  include,
  access_log: ignored(HSL, { min: 1 }),
  log_format: ignored(HTTP, { min: 2 }),
  default_type: defaultType,
  client_body_temp_path: tempPath(),
  proxy_temp_path: tempPath(),
  // NOTE: the proxy's timeouts and buffers are checked and ignored: an
  // upstream here is this nginx itself, so proxy_read_timeout stays 60 s.
  proxy_connect_timeout: timeOnce(HSL, [1]),
  proxy_send_timeout: timeOnce(HSL, [1]),
  proxy_read_timeout: timeOnce(HSL, [1]),
  proxy_buffering: flagOnce(HSL),
  proxy_buffer_size: sizeOnce(HSL),
  proxy_buffers: ignoredOnce(HSL, [2]),
  fastcgi_temp_path: tempPath(),
  uwsgi_temp_path: tempPath(),
  scgi_temp_path: tempPath(),
  sendfile: flagOnce(HSL),
  tcp_nopush: flagOnce(HSL),
  tcp_nodelay: flagOnce(HSL),
  server_tokens: ignoredOnce(HSL, [1]),
  keepalive_timeout: timeOnce(HSL, [1, 2]),
  keepalive_requests: numberOnce(HSL),
  client_max_body_size: sizeOnce(HSL),
  client_body_buffer_size: sizeOnce(HSL),
  client_header_buffer_size: sizeOnce(HS),
  large_client_header_buffers: ignoredOnce(HS, [2]),
  resolver: ignored(HSL, { min: 1 }),
  resolver_timeout: timeOnce(HSL, [1]),
  root: ignoredOnce(HSL, [1]),
  alias: ignoredOnce(["location"], [1]),
  index: ignored(HSL, { min: 1 }),
  internal: {
    contexts: ["location"],
    args: [0],
    handle(ctx, call) {
      const level = levelOf(ctx);
      markOnce(level.seen, call);
      level.isInternal = true;
    },
  },
  charset: {
    contexts: HSL,
    args: [1],
    handle(ctx, call) {
      const level = levelOf(ctx);
      markOnce(level.seen, call);
      level.charset = call.args[0].value;
    },
  },
  set,
  rewrite,
  return: returnDirective,
  error_page: errorPage,
  add_header: addHeader,
  proxy_pass: proxyPass,
  proxy_set_header: proxySetHeader,
  upstream: upstreamBlock,
  map: mapBlock,
  if: ifBlock,
  break: breakDirective,
  proxy_http_version: proxyHttpVersion,
};
