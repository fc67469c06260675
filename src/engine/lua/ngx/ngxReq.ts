/**
 * ngx.req: the request line, headers, URI arguments and body of the
 * running request.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { bytesToText, pushText, setFunction } from "./luaStack";
import { requireContext, requireRequest, type NgxRuntime } from "./runtime";

type LuaState = unknown;

/** Decodes one URI argument part: `+` is a space, %XX escapes decoded. */
export function unescapeArg(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) =>
      String.fromCharCode(parseInt(h, 16)),
    );
  }
}

/** Parses `a=1&b&a=2` into ordered pairs; a bare name has value true. */
export function parseArgs(query: string, max: number): Array<[string, string | true]> {
  const out: Array<[string, string | true]> = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    if (max > 0 && out.length >= max) break;
    const eq = part.indexOf("=");
    if (eq < 0) out.push([unescapeArg(part), true]);
    else out.push([unescapeArg(part.slice(0, eq)), unescapeArg(part.slice(eq + 1))]);
  }
  return out;
}

/** Pushes args as ngx.req.get_uri_args returns them: repeats become lists. */
export function pushArgsTable(L: LuaState, args: Array<[string, string | true]>): void {
  lua.lua_newtable(L);
  const t = lua.lua_gettop(L);
  for (const [name, value] of args) {
    const key = to_luastring(name);
    lua.lua_pushstring(L, key);
    lua.lua_rawget(L, t);
    const existing = lua.lua_type(L, -1);
    lua.lua_pop(L, 1);
    const pushValue = () =>
      value === true ? lua.lua_pushboolean(L, true) : pushText(L, value);
    if (existing === lua.LUA_TNIL) {
      pushValue();
      lua.lua_setfield(L, t, key);
    } else if (existing === lua.LUA_TTABLE) {
      lua.lua_getfield(L, t, key);
      pushValue();
      lua.lua_rawseti(L, -2, lua.lua_rawlen(L, -2) + 1);
      lua.lua_pop(L, 1);
    } else {
      lua.lua_createtable(L, 2, 0);
      lua.lua_getfield(L, t, key);
      lua.lua_rawseti(L, -2, 1);
      pushValue();
      lua.lua_rawseti(L, -2, 2);
      lua.lua_setfield(L, t, key);
    }
  }
}

function installHeaders(rt: NgxRuntime, L: LuaState): void {
  setFunction(L, "get_headers", (L) => {
    const r = requireRequest(rt, L);
    const isRaw = lua.lua_toboolean(L, 2);
    const pairs: Array<[string, string]> = [
      ["host", "localhost"],
      ["user-agent", "oracle-curl"],
      ["accept", "*/*"],
      ...r.headers,
    ];
    if (r.body !== null) pairs.push(["content-length", String(r.body.length)]);
    const args: Array<[string, string]> = pairs
      .filter(([name]) => !name.includes("_"))
      .map(([name, value]) => [isRaw ? name : name.toLowerCase(), value]);
    pushArgsTable(L, args);
    if (!isRaw) {
      lua.lua_newtable(L);
      setFunction(L, "__index", (L) => {
        const key = bytesToText(lauxlib.luaL_checklstring(L, 2));
        const normal = key.toLowerCase().replace(/_/g, "-");
        if (normal === key) return 0;
        lua.lua_pushstring(L, to_luastring(normal));
        lua.lua_rawget(L, 1);
        return 1;
      });
      lua.lua_setmetatable(L, -2);
    }
    return 1;
  });
}

/** Fills `ngx.req` on the `ngx` table at the stack top. */
export function installReq(rt: NgxRuntime, L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, "get_method", (L) => {
    pushText(L, requireRequest(rt, L).method);
    return 1;
  });
  setFunction(L, "http_version", (L) => {
    requireRequest(rt, L);
    lua.lua_pushnumber(L, 1.1);
    return 1;
  });
  setFunction(L, "start_time", (L) => {
    const r = requireRequest(rt, L);
    lua.lua_pushnumber(L, Math.floor(rt.startTimeMs + r.startTime) / 1000);
    return 1;
  });
  setFunction(L, "get_uri_args", (L) => {
    const r = requireRequest(rt, L);
    const max = lauxlib.luaL_optinteger(L, 1, 100);
    pushArgsTable(L, parseArgs(r.args, max));
    return 1;
  });
  installHeaders(rt, L);
  setFunction(L, "read_body", (L) => {
    const r = requireContext(rt, L, ["rewrite", "access", "content"]);
    if (r) r.bodyRead = true;
    return 0;
  });
  setFunction(L, "get_body_data", (L) => {
    const r = requireRequest(rt, L);
    if (!r.bodyRead || r.body === null || r.body === "") lua.lua_pushnil(L);
    else pushText(L, r.body);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring("req"));
}
