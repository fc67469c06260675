/**
 * The `os` table of the sandbox: time, date, clock and getenv only, with
 * time taken from the host's virtual clock.
 *
 * NOTE: the simulated machine's local time zone is UTC, so os.date("%H")
 * and os.date("!%H") agree; real servers may use another zone.
 */
import { lua, lauxlib, to_luastring, to_jsstring } from "fengari";
import type { LuaCFunction, LuaState } from "fengari";

/** What the os library reads from its host. */
export interface OsHost {
  /** CPU seconds of this process (virtual). */
  clock(): number;
  /** Seconds since the epoch (virtual). */
  time(): number;
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December",
];

function pad(n: number, width: number, fill = "0"): string {
  return String(n).padStart(width, fill);
}

function dayOfYear(d: Date): number {
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.floor((d.getTime() - start) / 86400000) + 1;
}

/** Week number with weeks starting on `firstDay` (0 Sunday, 1 Monday). */
function weekOfYear(d: Date, firstDay: number): number {
  const yday = dayOfYear(d) - 1;
  const wday = (d.getUTCDay() - firstDay + 7) % 7;
  return Math.floor((yday + 7 - wday) / 7);
}

/** One strftime conversion in the C locale, or null when unknown. */
function convert(spec: string, d: Date): string | null {
  const hours = d.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  switch (spec) {
    case "a": return DAYS[d.getUTCDay()].slice(0, 3);
    case "A": return DAYS[d.getUTCDay()];
    case "b": case "h": return MONTHS[d.getUTCMonth()].slice(0, 3);
    case "B": return MONTHS[d.getUTCMonth()];
    case "c": return strftime("%a %b %e %H:%M:%S %Y", d);
    case "C": return pad(Math.floor(d.getUTCFullYear() / 100), 2);
    case "d": return pad(d.getUTCDate(), 2);
    case "D": case "x": return strftime("%m/%d/%y", d);
    case "e": return pad(d.getUTCDate(), 2, " ");
    case "F": return strftime("%Y-%m-%d", d);
    case "H": return pad(hours, 2);
    case "I": return pad(hour12, 2);
    case "j": return pad(dayOfYear(d), 3);
    case "m": return pad(d.getUTCMonth() + 1, 2);
    case "M": return pad(d.getUTCMinutes(), 2);
    case "n": return "\n";
    case "p": return hours < 12 ? "AM" : "PM";
    case "r": return strftime("%I:%M:%S %p", d);
    case "R": return strftime("%H:%M", d);
    case "s": return String(Math.floor(d.getTime() / 1000));
    case "S": return pad(d.getUTCSeconds(), 2);
    case "t": return "\t";
    case "T": case "X": return strftime("%H:%M:%S", d);
    case "u": return String(d.getUTCDay() === 0 ? 7 : d.getUTCDay());
    case "U": return pad(weekOfYear(d, 0), 2);
    case "w": return String(d.getUTCDay());
    case "W": return pad(weekOfYear(d, 1), 2);
    case "y": return pad(d.getUTCFullYear() % 100, 2);
    case "Y": return String(d.getUTCFullYear());
    case "z": return "+0000";
    case "Z": return "UTC";
    case "%": return "%";
    default: return null;
  }
}

/** C's strftime in the C locale for a UTC date; unknown specs stay as is. */
export function strftime(format: string, d: Date): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%" || i + 1 >= format.length) {
      out += c;
      continue;
    }
    const spec = format[++i];
    out += convert(spec, d) ?? "%" + spec;
  }
  return out;
}

function setField(L: LuaState, key: string, value: number | boolean): void {
  if (typeof value === "boolean") lua.lua_pushboolean(L, value);
  else lua.lua_pushnumber(L, value);
  lua.lua_setfield(L, -2, to_luastring(key));
}

function pushDateTable(L: LuaState, d: Date): void {
  lua.lua_createtable(L, 0, 9);
  setField(L, "year", d.getUTCFullYear());
  setField(L, "month", d.getUTCMonth() + 1);
  setField(L, "day", d.getUTCDate());
  setField(L, "hour", d.getUTCHours());
  setField(L, "min", d.getUTCMinutes());
  setField(L, "sec", d.getUTCSeconds());
  setField(L, "wday", d.getUTCDay() + 1);
  setField(L, "yday", dayOfYear(d));
  setField(L, "isdst", false);
}

function osDate(host: OsHost): LuaCFunction {
  return (L) => {
    let format = to_jsstring(lauxlib.luaL_optstring(L, 1, to_luastring("%c")));
    const seconds = lua.lua_isnoneornil(L, 2)
      ? host.time()
      : lauxlib.luaL_checknumber(L, 2);
    const d = new Date(Math.floor(seconds) * 1000);
    if (format.startsWith("!")) format = format.slice(1);
    if (format.startsWith("*t")) pushDateTable(L, d);
    else lua.lua_pushstring(L, to_luastring(strftime(format, d)));
    return 1;
  };
}

/** Reads date-table field `key`; missing required fields raise LuaJIT's error. */
function getField(L: LuaState, key: string, fallback: number | null): number {
  lua.lua_getfield(L, 1, to_luastring(key));
  const isNumber = lua.lua_type(L, -1) === lua.LUA_TNUMBER;
  const value = isNumber ? lua.lua_tonumber(L, -1) : fallback;
  lua.lua_pop(L, 1);
  if (value === null) {
    return lauxlib.luaL_error(L, to_luastring(`field '${key}' missing in date table`));
  }
  return value;
}

function osTime(host: OsHost): LuaCFunction {
  return (L) => {
    if (lua.lua_isnoneornil(L, 1)) {
      lua.lua_pushnumber(L, Math.floor(host.time()));
      return 1;
    }
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    const ms = Date.UTC(
      getField(L, "year", null),
      getField(L, "month", null) - 1,
      getField(L, "day", null),
      getField(L, "hour", 12),
      getField(L, "min", 0),
      getField(L, "sec", 0),
    );
    lua.lua_pushnumber(L, Math.floor(ms / 1000));
    return 1;
  };
}

/** Pushes a new `os` table with time, date, clock, difftime and getenv. */
export function pushOsLibrary(L: LuaState, host: OsHost): void {
  const functions: Record<string, LuaCFunction> = {
    time: osTime(host),
    date: osDate(host),
    clock: (L) => {
      lua.lua_pushnumber(L, host.clock());
      return 1;
    },
    difftime: (L) => {
      const t2 = lauxlib.luaL_checknumber(L, 1);
      lua.lua_pushnumber(L, t2 - lauxlib.luaL_optnumber(L, 2, 0));
      return 1;
    },
    getenv: (L) => {
      lauxlib.luaL_checkstring(L, 1);
      lua.lua_pushnil(L);
      return 1;
    },
  };
  lua.lua_createtable(L, 0, Object.keys(functions).length);
  for (const [name, fn] of Object.entries(functions)) {
    lua.lua_pushjsfunction(L, fn);
    lua.lua_setfield(L, -2, to_luastring(name));
  }
}
