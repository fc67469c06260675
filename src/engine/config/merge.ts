/**
 * Inheritance, merged the way nginx's merge_loc_conf callbacks do it: a
 * location takes each Lua phase handler (except content), add_header,
 * error_page and default_type from the innermost enclosing level that sets
 * it. Rewrite-module steps, echo steps and content handlers never inherit.
 */
import type { LevelSettings, RawHttp, RawLocation, RawMain, RawServer } from "./confTree";
import type {
  HttpConfig,
  Location,
  LuaPhaseHandlers,
  MainConfig,
  Server,
} from "./types";
import { DEFAULT_LISTEN, LOG_LEVELS } from "./values";

/** lua-nginx-module's defaults for lua_max_pending_timers / _running_. */
const DEFAULT_MAX_PENDING_TIMERS = 1024;
const DEFAULT_MAX_RUNNING_TIMERS = 256;


const INHERITED_PHASES = [
  "rewrite",
  "access",
  "header_filter",
  "body_filter",
  "log",
] as const;

/** The enclosing levels of a location, innermost first. */
type Ancestry = LevelSettings[];

function innermost<T>(
  own: T | null,
  outer: Ancestry,
  pick: (level: LevelSettings) => T | null,
): T | null {
  if (own !== null) return own;
  for (const level of outer) {
    const value = pick(level);
    if (value !== null) return value;
  }
  return null;
}

function mergeLua(own: LuaPhaseHandlers, outer: Ancestry): LuaPhaseHandlers {
  const merged: LuaPhaseHandlers = {};
  for (const phase of INHERITED_PHASES) {
    const code = innermost(own[phase] ?? null, outer, (level) => {
      return level.lua[phase] ?? null;
    });
    if (code) merged[phase] = code;
  }
  if (own.content) merged.content = own.content;
  return merged;
}

function mergeLocation(raw: RawLocation, outer: Ancestry): Location {
  const inner = [raw, ...outer];
  return {
    modifier: raw.modifier,
    pattern: raw.pattern,
    rewrite: raw.rewrite,
    lua: mergeLua(raw.lua, outer),
    echo: raw.echo,
    proxyPass: raw.proxyPass
      ? {
          ...raw.proxyPass,
          setHeaders: innermost(raw.proxySetHeaders ?? null, outer, (l) => l.proxySetHeaders ?? null) ?? [],
          httpVersion:
            innermost(raw.proxyHttpVersion ?? null, outer, (l) => l.proxyHttpVersion ?? null) ?? "1.0",
        }
      : null,
    addHeaders: innermost(raw.addHeaders, outer, (l) => l.addHeaders) ?? [],
    defaultType:
      innermost(raw.defaultType, outer, (l) => l.defaultType) ?? "text/plain",
    errorPages: innermost(raw.errorPages, outer, (l) => l.errorPages) ?? [],
    isInternal: raw.isInternal === true,
    charset: innermost(raw.charset ?? null, outer, (l) => l.charset ?? null),
    needRequestBody:
      innermost(raw.needRequestBody, outer, (l) => l.needRequestBody) ?? false,
    locations: raw.locations.map((child) => mergeLocation(child, inner)),
    src: raw.src,
  };
}

function mergeServer(raw: RawServer, http: RawHttp): Server {
  const outer = [raw, http];
  return {
    listen: raw.listen.length > 0 ? raw.listen : [{ ...DEFAULT_LISTEN }],
    serverNames: raw.serverNames.length > 0 ? raw.serverNames : [""],
    rewrite: raw.rewrite,
    locations: raw.locations.map((location) => mergeLocation(location, outer)),
    src: raw.src,
  };
}

function mergeHttp(raw: RawHttp): HttpConfig {
  return {
    sharedDicts: raw.sharedDicts,
    packagePath: raw.packagePath,
    initByLua: raw.initByLua,
    initWorkerByLua: raw.initWorkerByLua,
    luaCodeCache: raw.luaCodeCache ?? true,
    luaCodeCacheOffSrc: raw.luaCodeCacheOffSrc,
    luaMaxPendingTimers: raw.luaMaxPendingTimers ?? DEFAULT_MAX_PENDING_TIMERS,
    luaMaxRunningTimers: raw.luaMaxRunningTimers ?? DEFAULT_MAX_RUNNING_TIMERS,
    servers: raw.servers.map((server) => mergeServer(server, raw)),
    upstreams: new Map(raw.upstreams.map((u) => [u.name, u.servers])),
    maps: new Map(raw.maps.map((m) => [m.target, m])),
  };
}

/** Turns the parsed levels into the MainConfig the engine runs. */
export function mergeConfig(raw: RawMain): MainConfig {
  const levels = raw.errorLogLevels;
  const errorLogLevel =
    levels.length === 0
      ? "error"
      : LOG_LEVELS.find((level) => levels.includes(level)) ?? "error";
  return {
    workerProcesses: raw.workerProcesses ?? 1,
    errorLogLevel,
    http: raw.http ? mergeHttp(raw.http) : null,
  };
}
