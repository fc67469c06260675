/**
 * lua-nginx-module and echo-nginx-module directives: the `*_by_lua_block`,
 * `*_by_lua` and `*_by_lua_file` handlers, shared dicts, the package path,
 * timer limits, and the echo directives that make a location's content.
 */
import type { ContextKind, LevelSettings, ParseContext } from "./confTree";
import {
  callError,
  directiveError,
  ignoredDirective,
  markOnce,
  parseFlag,
  parseNumber,
  type ArgCount,
  type DirectiveCall,
  type DirectiveSpec,
} from "./directiveCall";
import type { EchoStep, LuaCode, LuaPhaseHandlers } from "./types";
import { parseSize, parseTimeMs } from "./values";

const HTTP: ContextKind[] = ["http"];
const HSL: ContextKind[] = ["http", "server", "location"];
const SL: ContextKind[] = ["server", "location"];
const LOCATION: ContextKind[] = ["location"];

type LuaForm = "block" | "string" | "file";
type RequestPhase = keyof LuaPhaseHandlers;

/** lua-nginx-module keeps shared dicts of at least 8 KiB (8192 bytes). */
const MIN_SHARED_DICT_SIZE = 8192;

/**
 * Reads the Lua source of a directive in one of its three forms. The chunk
 * is named after the line nginx is on when the handler runs: the `{` of a
 * block, the `;` of the string and file forms.
 */
function readLuaCode(
  call: DirectiveCall,
  phase: string,
  form: LuaForm,
  codeArg = 0,
): LuaCode {
  if (form === "block") {
    const block = call.lexer.readLuaBlock();
    const src = { file: call.src.file, line: block.line };
    const chunkName = `${phase}_by_lua(${call.chunkFile}:${block.line})`;
    return { code: block.code, chunkName, src };
  }
  const value = call.args[codeArg].value;
  if (form === "file") {
    // Lua's `@` prefix marks a chunk name that is a file name.
    return { code: "", chunkName: `@${value}`, src: call.src, filePath: value };
  }
  const chunkName = `${phase}_by_lua(${call.chunkFile}:${call.src.line})`;
  return { code: value, chunkName, src: call.src };
}

function directiveName(phase: string, form: LuaForm): string {
  if (form === "block") return `${phase}_by_lua_block`;
  if (form === "file") return `${phase}_by_lua_file`;
  return `${phase}_by_lua`;
}

function levelOf(ctx: ParseContext): LevelSettings {
  if (!ctx.level) throw new Error(`no level settings in ${ctx.kind}`);
  return ctx.level;
}

function phaseDirective(phase: RequestPhase, form: LuaForm): DirectiveSpec {
  return {
    contexts: phase === "content" ? LOCATION : HSL,
    args: form === "block" ? [0] : [1],
    isBlock: form === "block",
    handle(ctx, call) {
      const code = readLuaCode(call, phase, form);
      const level = levelOf(ctx);
      if (level.lua[phase]) throw directiveError(call, "is duplicate");
      level.lua[phase] = code;
    },
  };
}

function initDirective(
  phase: "init" | "init_worker",
  form: LuaForm,
): DirectiveSpec {
  return {
    contexts: HTTP,
    args: form === "block" ? [0] : [1],
    isBlock: form === "block",
    handle(ctx, call) {
      const code = readLuaCode(call, phase, form);
      const http = ctx.http;
      if (!http) return;
      const field = phase === "init" ? "initByLua" : "initWorkerByLua";
      if (http[field]) throw directiveError(call, "is duplicate");
      http[field] = code;
    },
  };
}

function setDirective(form: LuaForm): DirectiveSpec {
  return {
    contexts: SL,
    args: form === "block" ? [1] : { min: 2 },
    isBlock: form === "block",
    handle(ctx, call) {
      const variable = call.args[0].value;
      if (!variable.startsWith("$")) {
        throw callError(call, `invalid variable name "${variable}"`);
      }
      const lua = readLuaCode(call, "set", form, 1);
      const args = call.args.slice(2).map((word) => word.value);
      levelOf(ctx).rewrite.push({
        kind: "set_by_lua",
        variable: variable.slice(1),
        lua,
        args,
        src: call.src,
      });
    },
  };
}

const sharedDict: DirectiveSpec = {
  contexts: HTTP,
  args: [2],
  handle(ctx, call) {
    const [name, sizeText] = call.args.map((word) => word.value);
    const dicts = ctx.http?.sharedDicts ?? [];
    if (dicts.some((dict) => dict.name === name)) {
      throw callError(
        call,
        `lua_shared_dict "${name}" is already defined as "${name}"`,
      );
    }
    const size = parseSize(sizeText);
    if (size === null || size < MIN_SHARED_DICT_SIZE) {
      throw callError(call, `invalid lua shared dict size "${sizeText}"`);
    }
    dicts.push({ name, size, src: call.src });
  },
};

const packagePath: DirectiveSpec = {
  contexts: HTTP,
  args: [1],
  handle(ctx, call) {
    if (!ctx.http) return;
    if (ctx.http.packagePath !== null) {
      throw directiveError(call, "is duplicate");
    }
    ctx.http.packagePath = call.args[0].value;
  },
};

const codeCache: DirectiveSpec = {
  contexts: HSL,
  args: [1],
  handle(ctx, call) {
    markOnce(levelOf(ctx).seen, call);
    const isOn = parseFlag(call);
    // NOTE: only the http-level value reaches HttpConfig; a server or
    // location `lua_code_cache` is checked but has no effect here.
    if (ctx.kind === "http" && ctx.http) {
      ctx.http.luaCodeCache = isOn;
      ctx.http.luaCodeCacheOffSrc = isOn ? undefined : call.src;
    }
  },
};

function timerLimit(
  field: "luaMaxPendingTimers" | "luaMaxRunningTimers",
): DirectiveSpec {
  return {
    contexts: HTTP,
    args: [1],
    handle(ctx, call) {
      if (!ctx.http) return;
      if (ctx.http[field] !== null) throw directiveError(call, "is duplicate");
      ctx.http[field] = parseNumber(call);
    },
  };
}

const ignored = ignoredDirective;

const flag = (contexts: ContextKind[]) =>
  ignored(contexts, [1], (call) => void parseFlag(call));
const number = (contexts: ContextKind[]) =>
  ignored(contexts, [1], (call) => void parseNumber(call));
const size = (contexts: ContextKind[]) =>
  ignored(contexts, [1], (call) => {
    if (parseSize(call.args[0].value) === null) {
      throw directiveError(call, "invalid value");
    }
  });
const time = (contexts: ContextKind[]) =>
  ignored(contexts, [1], (call) => {
    if (parseTimeMs(call.args[0].value) === null) {
      throw directiveError(call, "invalid value");
    }
  });

function echoDirective(kind: EchoStep["kind"], args: ArgCount): DirectiveSpec {
  return {
    contexts: LOCATION,
    args,
    handle(ctx, call) {
      ctx.location?.echo.push({
        kind,
        args: call.args.map((word) => word.value),
        src: call.src,
      });
    },
  };
}

function phaseTable(): Record<string, DirectiveSpec> {
  const table: Record<string, DirectiveSpec> = {};
  const forms: LuaForm[] = ["block", "string", "file"];
  const phases: RequestPhase[] = [
    "rewrite",
    "access",
    "content",
    "header_filter",
    "body_filter",
    "log",
  ];
  for (const form of forms) {
    for (const phase of phases) {
      table[directiveName(phase, form)] = phaseDirective(phase, form);
    }
    table[directiveName("init", form)] = initDirective("init", form);
    table[directiveName("init_worker", form)] = initDirective(
      "init_worker",
      form,
    );
    table[directiveName("set", form)] = setDirective(form);
  }
  return table;
}

/** Lua and echo directives by name. */
export const LUA_DIRECTIVES: Record<string, DirectiveSpec> = {
  ...phaseTable(),
  lua_shared_dict: sharedDict,
  lua_package_path: packagePath,
  lua_package_cpath: ignored(HTTP, [1]),
  lua_code_cache: codeCache,
  lua_max_pending_timers: timerLimit("luaMaxPendingTimers"),
  lua_max_running_timers: timerLimit("luaMaxRunningTimers"),
  lua_need_request_body: {
    contexts: HSL,
    args: [1],
    handle(ctx, call) {
      const level = levelOf(ctx);
      markOnce(level.seen, call);
      level.needRequestBody = parseFlag(call);
    },
  },
  lua_transform_underscores_in_response_headers: flag(HSL),
  lua_check_client_abort: flag(HSL),
  lua_http10_buffering: flag(HSL),
  lua_use_default_type: flag(HSL),
  lua_socket_log_errors: flag(HSL),
  lua_socket_connect_timeout: time(HSL),
  lua_socket_send_timeout: time(HSL),
  lua_socket_read_timeout: time(HSL),
  lua_socket_keepalive_timeout: time(HSL),
  lua_socket_buffer_size: size(HSL),
  lua_socket_pool_size: number(HSL),
  lua_socket_send_lowat: size(HSL),
  lua_regex_cache_max_entries: number(HTTP),
  lua_regex_match_limit: number(HTTP),
  lua_capture_error_log: size(HTTP),
  echo: echoDirective("echo", { min: 0 }),
  echo_before_body: echoDirective("echo_before_body", { min: 0 }),
  echo_after_body: echoDirective("echo_after_body", { min: 0 }),
  echo_sleep: echoDirective("echo_sleep", [1]),
  echo_flush: echoDirective("echo_flush", [0]),
  echo_location: echoDirective("echo_location", [1, 2]),
  echo_location_async: echoDirective("echo_location_async", [1, 2]),
  echo_duplicate: echoDirective("echo_duplicate", [2]),
  echo_status: echoDirective("echo_status", [1]),
};
