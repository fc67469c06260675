/**
 * The parsed, validated and merged nginx configuration that the simulator
 * runs. The parser (parse.ts) turns nginx.conf text into this shape, or
 * into a ConfigError worded as `nginx -t` words it.
 */

/** Where a directive was written: the file label and its 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
}

/**
 * Lua source from a `*_by_lua_block`, `*_by_lua` or `*_by_lua_file`
 * directive. `chunkName` is what lua-nginx-module names the chunk, such as
 * `content_by_lua(nginx.conf:26)`; line 1 of `code` is the directive's own
 * line, because an inline block's code starts right after its `{`.
 */
export interface LuaCode {
  code: string;
  chunkName: string;
  src: SourceRef;
  /** For `*_by_lua_file`: the path given; `code` is then empty. */
  filePath?: string;
}

/**
 * A string argument that may contain nginx variables (`$uri`, `${arg_a}`),
 * kept raw; the engine interpolates it per request.
 */
export type ComplexValue = string;

/** One directive of nginx's rewrite phase, kept in config order. */
export type RewriteStep =
  | { kind: "set"; variable: string; value: ComplexValue; src: SourceRef }
  | {
      kind: "set_by_lua";
      variable: string;
      lua: LuaCode;
      args: ComplexValue[];
      src: SourceRef;
    }
  | {
      kind: "rewrite";
      regex: string;
      replacement: ComplexValue;
      flag: "last" | "break" | "redirect" | "permanent" | null;
      src: SourceRef;
    }
  | {
      kind: "return";
      /** 444 closes the connection; 301/302/303/307/308 take a URL. */
      code: number;
      text: ComplexValue | null;
      src: SourceRef;
    }
  | { kind: "if"; condition: IfCondition; steps: RewriteStep[]; src: SourceRef }
  | { kind: "break"; src: SourceRef };

/** The condition of an `if` block. */
export type IfCondition =
  /** True unless the value is empty or "0". */
  | { kind: "variable"; value: ComplexValue }
  | { kind: "compare"; left: ComplexValue; op: "=" | "!="; right: ComplexValue }
  | { kind: "match"; left: ComplexValue; isNegated: boolean; regex: RegExp };

/** The Lua phase handlers a location runs, after http/server inheritance. */
export interface LuaPhaseHandlers {
  rewrite?: LuaCode;
  access?: LuaCode;
  content?: LuaCode;
  header_filter?: LuaCode;
  body_filter?: LuaCode;
  log?: LuaCode;
}

/** One echo-module directive of a location, in config order. */
export interface EchoStep {
  kind:
    | "echo"
    | "echo_before_body"
    | "echo_after_body"
    | "echo_sleep"
    | "echo_flush"
    | "echo_location"
    | "echo_location_async"
    | "echo_duplicate"
    | "echo_status";
  args: ComplexValue[];
  src: SourceRef;
}

/** An `add_header NAME VALUE [always]` directive. */
export interface AddHeader {
  name: string;
  value: ComplexValue;
  always: boolean;
  src: SourceRef;
}

/** An `error_page CODE... [=[RESPONSE]] URI` directive. */
export interface ErrorPage {
  codes: number[];
  /**
   * Absent: keep the original status. `"="` alone: take the status of the
   * target. A number: answer with that status.
   */
  overwrite?: number | "=";
  uri: ComplexValue;
  src: SourceRef;
}

export type LocationModifier = "=" | "^~" | "" | "~" | "~*" | "@";

/** A `location` block with inherited settings already merged in. */
/** `proxy_pass URL` of a location, with the proxy settings in effect there. */
export interface ProxyPass {
  /** The URL as written; it may contain variables. */
  url: string;
  hasVariables: boolean;
  /** `proxy_set_header`s in effect (the innermost level's), in config order. */
  setHeaders: ProxySetHeader[];
  /** `proxy_http_version` in effect ("1.0" by default). */
  httpVersion: "1.0" | "1.1";
  src: SourceRef;
}

/** `proxy_set_header NAME VALUE`: the value may hold variables; "" drops the header. */
export interface ProxySetHeader {
  name: string;
  value: string;
  src: SourceRef;
}

export interface Location {
  modifier: LocationModifier;
  pattern: string;
  rewrite: RewriteStep[];
  lua: LuaPhaseHandlers;
  echo: EchoStep[];
  /** `proxy_pass`: the content handler that forwards the request; null without it. */
  proxyPass: ProxyPass | null;
  addHeaders: AddHeader[];
  defaultType: string;
  errorPages: ErrorPage[];
  /** `charset` (null or "off": none), added to text Content-Types. */
  charset: string | null;
  /** `internal`: a client request for it gets 404. */
  isInternal: boolean;
  /** `lua_need_request_body on`: the body is read before the Lua phases. */
  needRequestBody: boolean;
  /** Nested locations (nginx allows prefix locations inside locations). */
  locations: Location[];
  src: SourceRef;
}

export interface Listen {
  address: string;
  port: number;
  isDefaultServer: boolean;
}

export interface Server {
  listen: Listen[];
  serverNames: string[];
  /** Server-level `set`, `rewrite` and `return`, run before location lookup. */
  rewrite: RewriteStep[];
  locations: Location[];
  src: SourceRef;
}

export interface SharedDictConfig {
  name: string;
  /** Bytes, from sizes such as `1m` or `12k`. */
  size: number;
  src: SourceRef;
}

export interface HttpConfig {
  sharedDicts: SharedDictConfig[];
  /** `lua_package_path`, with `;;` still in it (the engine expands it). */
  packagePath: string | null;
  initByLua?: LuaCode;
  initWorkerByLua?: LuaCode;
  luaCodeCache: boolean;
  /** Where `lua_code_cache off` was written (for nginx's start-up alert). */
  luaCodeCacheOffSrc?: SourceRef;
  luaMaxPendingTimers: number;
  luaMaxRunningTimers: number;
  servers: Server[];
  /** `upstream` blocks by name. */
  upstreams: Map<string, UpstreamServer[]>;
  /** `map` blocks by their variable's name (lower case, without `$`). */
  maps: Map<string, MapConfig>;
}

/** A `map` block: its source, keys and default. */
export interface MapConfig {
  /** The source value, which may hold variables. */
  source: string;
  /** The variable it defines, lower case, without `$`. */
  target: string;
  exact: Map<string, string>;
  /** `~` and `~*` keys in config order; values may use their captures. */
  regexes: Array<{ regex: RegExp; value: string }>;
  defaultValue: string;
  src: SourceRef;
}

/** One `server` of an upstream block. */
export interface UpstreamServer {
  host: string;
  port: number;
  weight: number;
  isBackup: boolean;
  isDown: boolean;
  src: SourceRef;
}

export type LogLevel =
  | "debug"
  | "info"
  | "notice"
  | "warn"
  | "error"
  | "crit"
  | "alert"
  | "emerg";

export interface MainConfig {
  /** 1..16 after `auto` is resolved by the caller's core count. */
  workerProcesses: number | "auto";
  /** The level of the main `error_log` (nginx's default is `error`). */
  errorLogLevel: LogLevel;
  http: HttpConfig | null;
}

/**
 * A configuration error, worded as nginx words it: `message` is the text
 * after `[emerg] `, for example `unknown directive "x" in nginx.conf:3`.
 */
export class ConfigError extends Error {
  readonly code = "NGX_CONF_ERROR";
  constructor(
    message: string,
    readonly src: SourceRef,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}
