/**
 * ngx.say, ngx.print, ngx.flush and ngx.eof. Output goes through the
 * header and body filters at once, synchronously, as in lua-nginx-module:
 * body_filter_by_lua runs inside ngx.say, before ngx.say returns.
 */
import { lua, to_luastring } from "fengari";
import { collectOutput, concatBytes } from "./outputArgs";
import { pushText, setFunction } from "./luaStack";
import { OUTPUT_PHASES, requireContext, type NgxRuntime } from "./runtime";

type LuaState = unknown;

const NEWLINE = to_luastring("\n");

function pushFailure(L: LuaState, message: string): number {
  lua.lua_pushnil(L);
  pushText(L, message);
  return 2;
}

function write(rt: NgxRuntime, L: LuaState, newline: boolean): number {
  const r = requireContext(rt, L, OUTPUT_PHASES);
  const parts = collectOutput(L, 1);
  if (newline) parts.push(NEWLINE);
  if (!r) return 0;
  if (r.hasSentLast) return pushFailure(L, "seen eof");
  rt.output.sendHeader(r);
  const data = concatBytes(parts);
  if (data.length === 0) {
    lua.lua_pushnumber(L, 1);
    return 1;
  }
  if (!rt.output.sendBody(r, data, {})) return pushFailure(L, "nginx output filter error");
  lua.lua_pushnumber(L, 1);
  return 1;
}

/** Fills the `ngx` table at the stack top with the output functions. */
export function installOutput(rt: NgxRuntime, L: LuaState): void {
  setFunction(L, "say", (L) => write(rt, L, true));
  setFunction(L, "print", (L) => write(rt, L, false));
  setFunction(L, "flush", (L) => {
    const r = requireContext(rt, L, OUTPUT_PHASES);
    if (!r) return 0;
    if (r.hasSentLast) return pushFailure(L, "seen eof");
    rt.output.sendHeader(r);
    rt.output.sendBody(r, new Uint8Array(0), { flush: true });
    lua.lua_pushnumber(L, 1);
    return 1;
  });
  setFunction(L, "eof", (L) => {
    const r = requireContext(rt, L, OUTPUT_PHASES);
    if (!r) return 0;
    if (r.hasSentLast) return pushFailure(L, "seen eof");
    rt.output.sendHeader(r);
    r.hasSentLast = true;
    rt.output.sendBody(r, new Uint8Array(0), { last: true });
    lua.lua_pushnumber(L, 1);
    return 1;
  });
}
