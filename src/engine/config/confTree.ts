/**
 * The configuration as written, level by level, before inheritance is
 * merged. Directive handlers fill these; merge.ts turns them into the
 * MainConfig of types.ts.
 */
import type {
  AddHeader,
  EchoStep,
  ErrorPage,
  Listen,
  LocationModifier,
  LogLevel,
  LuaCode,
  LuaPhaseHandlers,
  ProxyPass,
  ProxySetHeader,
  RewriteStep,
  SharedDictConfig,
  SourceRef,
  UpstreamServer,
  MapConfig,
} from "./types";

/** Settings that http, server and location levels all may carry. */
export interface LevelSettings {
  lua: LuaPhaseHandlers;
  /** null when this level has no add_header, so the outer level's apply. */
  addHeaders: AddHeader[] | null;
  defaultType: string | null;
  errorPages: ErrorPage[] | null;
  /** `charset`, or undefined when this level does not set it. */
  charset?: string;
  /** `internal`: only internal redirects and subrequests may use it. */
  isInternal?: boolean;
  /** `proxy_set_header`s of this level; null when it has none, so the outer level's apply. */
  proxySetHeaders?: ProxySetHeader[];
  /** `proxy_http_version`, or undefined when this level does not set it. */
  proxyHttpVersion?: "1.0" | "1.1";
  /** `lua_need_request_body`, or null when this level does not set it. */
  needRequestBody: boolean | null;
  /** set, set_by_lua, rewrite and return of this level, in order. */
  rewrite: RewriteStep[];
  /** Names of set-once directives seen here, for "is duplicate". */
  seen: Set<string>;
}

export interface RawLocation extends LevelSettings {
  modifier: LocationModifier;
  pattern: string;
  echo: EchoStep[];
  proxyPass?: ProxyPass;
  locations: RawLocation[];
  src: SourceRef;
}

export interface RawServer extends LevelSettings {
  listen: Listen[];
  serverNames: string[];
  locations: RawLocation[];
  src: SourceRef;
}

export interface RawHttp extends LevelSettings {
  sharedDicts: SharedDictConfig[];
  packagePath: string | null;
  initByLua?: LuaCode;
  initWorkerByLua?: LuaCode;
  luaCodeCache: boolean | null;
  /** Where `lua_code_cache off` was written, for nginx's start-up alert. */
  luaCodeCacheOffSrc?: SourceRef;
  luaMaxPendingTimers: number | null;
  luaMaxRunningTimers: number | null;
  servers: RawServer[];
  upstreams: RawUpstream[];
  maps: RawMap[];
}

/** A `map` block as written; the engine evaluates it when its variable is read. */
export type RawMap = MapConfig;

/** An `upstream` block as written. */
export interface RawUpstream {
  name: string;
  servers: UpstreamServer[];
  src: SourceRef;
  /** The position of the block's `}`. */
  endSrc?: SourceRef;
}

export interface RawMain {
  workerProcesses: number | "auto" | null;
  /** Levels of every main `error_log`; the most verbose one counts. */
  errorLogLevels: LogLevel[];
  hasEvents: boolean;
  http: RawHttp | null;
  seen: Set<string>;
}

/** The block a directive appears in, innermost last. */
export type ContextKind = "main" | "events" | "http" | "server" | "location" | "upstream" | "map" | "if";

/** The parser's position: the current block and the blocks around it. */
export interface ParseContext {
  kind: ContextKind;
  main: RawMain;
  http?: RawHttp;
  server?: RawServer;
  location?: RawLocation;
  upstream?: RawUpstream;
  map?: RawMap;
  /** The settings of the innermost http, server or location block. */
  level?: LevelSettings;
}

/** Creates the empty settings of a new http, server or location level. */
export function emptyLevel(): LevelSettings {
  return {
    lua: {},
    addHeaders: null,
    defaultType: null,
    errorPages: null,
    needRequestBody: null,
    rewrite: [],
    seen: new Set(),
  };
}
