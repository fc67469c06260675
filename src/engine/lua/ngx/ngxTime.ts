/**
 * Time functions. ngx.now and ngx.time read the process's cached time,
 * which only an event loop iteration or ngx.update_time refreshes, so CPU
 * work inside one handler run does not move them.
 */
import { lua, lauxlib } from "fengari";
import { pushText, setFunction } from "./luaStack";
import type { NgxRuntime } from "./runtime";

type LuaState = unknown;

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = [
  "Jan", "Feb", "Mar", "Apr", "May", "Jun",
  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `2026-01-01 12:00:00` in UTC (the simulated host's time zone is UTC). */
export function formatLocalTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** `Thu, 01 Jan 2026 12:00:00 GMT`, as ngx.http_time formats it. */
export function formatHttpTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ` +
    `${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:` +
    `${pad(d.getUTCSeconds())} GMT`
  );
}

/** `Thu, 01-Jan-26 12:00:00 GMT`: ngx.cookie_time uses a 2-digit year. */
export function formatCookieTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-` +
    `${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:` +
    `${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`
  );
}

/** Parses an HTTP date as nginx's ngx_parse_http_time; null if invalid. */
export function parseHttpTime(text: string): number | null {
  const m =
    /^\w{3}, (\d{2})[ -](\w{3})[ -](\d{2}|\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]);
  if (month < 0) return null;
  let year = Number(m[3]);
  if (m[3].length === 2) year += year < 70 ? 2000 : 1900;
  return Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
}

/** Fills the `ngx` table at the stack top with the time functions. */
export function installTime(rt: NgxRuntime, L: LuaState): void {
  const nowMs = () => rt.startTimeMs + rt.process.cachedTime;
  setFunction(L, "now", (L) => {
    lua.lua_pushnumber(L, nowMs() / 1000);
    return 1;
  });
  setFunction(L, "time", (L) => {
    lua.lua_pushnumber(L, Math.floor(nowMs() / 1000));
    return 1;
  });
  setFunction(L, "update_time", () => {
    rt.process.updateTime("update_time");
    return 0;
  });
  setFunction(L, "today", (L) => {
    pushText(L, formatLocalTime(nowMs()).slice(0, 10));
    return 1;
  });
  setFunction(L, "localtime", (L) => {
    pushText(L, formatLocalTime(nowMs()));
    return 1;
  });
  setFunction(L, "utctime", (L) => {
    pushText(L, formatLocalTime(nowMs()));
    return 1;
  });
  setFunction(L, "http_time", (L) => {
    pushText(L, formatHttpTime(Math.floor(lauxlib.luaL_checknumber(L, 1))));
    return 1;
  });
  setFunction(L, "cookie_time", (L) => {
    pushText(L, formatCookieTime(Math.floor(lauxlib.luaL_checknumber(L, 1))));
    return 1;
  });
  setFunction(L, "parse_http_time", (L) => {
    const seconds = parseHttpTime(
      new TextDecoder().decode(lauxlib.luaL_checklstring(L, 1)),
    );
    if (seconds === null) lua.lua_pushnil(L);
    else lua.lua_pushnumber(L, seconds);
    return 1;
  });
}
