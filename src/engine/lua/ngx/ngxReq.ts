/**
 * ngx.req: the request line, headers, URI arguments and body of the
 * running request.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import { bytesToText, logText, pushText, setFunction } from "./luaStack";
import { encodeArgsTable } from "./ngxCore";
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
  return parseArgsLimited(query, max).args;
}

/**
 * Parses a query string as lua-nginx-module does: pairs with an empty
 * name (`=x`) are dropped, and `isTruncated` is true when there were more
 * than `max` (when positive).
 */
export function parseArgsLimited(
  query: string,
  max: number,
): { args: Array<[string, string | true]>; isTruncated: boolean } {
  const args: Array<[string, string | true]> = [];
  let count = 0;
  for (const part of query.split("&")) {
    if (part === "") continue;
    // A pair with an empty name counts toward the limit but is dropped.
    if (max > 0 && count >= max) return { args, isTruncated: true };
    count++;
    const eq = part.indexOf("=");
    if (eq === 0) continue;
    if (eq < 0) args.push([unescapeArg(part), true]);
    else args.push([unescapeArg(part.slice(0, eq)), unescapeArg(part.slice(eq + 1))]);
  }
  return { args, isTruncated: false };
}

/** Pushes an args table, plus "truncated" when the limit cut it short. */
function pushLimitedArgs(L: LuaState, query: string, max: number): number {
  const { args, isTruncated } = parseArgsLimited(query, max);
  pushArgsTable(L, args);
  if (!isTruncated) return 1;
  pushText(L, "truncated");
  return 2;
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
    const max = lauxlib.luaL_optinteger(L, 1, 100);
    const isRaw = lua.lua_toboolean(L, 2);
    // nginx drops request headers whose names contain '_' by default
    // (underscores_in_headers off).
    const all: Array<[string, string]> = r.headers
      .filter(([name]) => !name.includes("_"))
      .map(([name, value]) => [isRaw ? name : name.toLowerCase(), value]);
    const isTruncated = max > 0 && all.length > max;
    pushArgsTable(L, isTruncated ? all.slice(0, max) : all);
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
    if (!isTruncated) return 1;
    pushText(L, "truncated");
    return 2;
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
    return pushLimitedArgs(L, r.args, max);
  });
  installHeaders(rt, L);
  setFunction(L, "raw_header", (L) => {
    const r = requireRequest(rt, L);
    const noRequestLine = lua.lua_toboolean(L, 1);
    const lines = r.headers.map(([name, value]) => `${name}: ${value}\r\n`);
    const requestLine = `${r.method} ${r.requestUri} HTTP/${r.isHttp10 ? "1.0" : "1.1"}\r\n`;
    pushText(L, (noRequestLine ? "" : requestLine) + lines.join("") + "\r\n");
    return 1;
  });
  setFunction(L, "read_body", (L) => {
    const r = requireContext(rt, L, ["rewrite", "access", "content"]);
    if (r) r.bodyRead = true;
    return 0;
  });
  setFunction(L, "get_post_args", (L) => {
    const r = requireRequest(rt, L);
    if (!r.bodyRead) {
      return lauxlib.luaL_error(
        L,
        to_luastring(
          "no request body found; maybe you should turn on lua_need_request_body?",
        ),
      );
    }
    const max = lauxlib.luaL_optinteger(L, 1, 100);
    return pushLimitedArgs(L, r.body ?? "", max);
  });
  setFunction(L, "is_internal", (L) => {
    lua.lua_pushboolean(L, requireRequest(rt, L).isInternal);
    return 1;
  });
  setFunction(L, "set_uri_args", (L) => {
    const r = requireRequest(rt, L);
    r.args =
      lua.lua_type(L, 1) === lua.LUA_TTABLE
        ? encodeArgsTable(L, 1)
        : bytesToText(lauxlib.luaL_checklstring(L, 1));
    return 0;
  });
  setFunction(L, "set_uri", (L) => {
    const r = requireContext(rt, L, ["set", "rewrite", "access", "content", "header_filter", "body_filter", "log"]);
    const uri = bytesToText(lauxlib.luaL_checklstring(L, 1));
    if (uri === "") return lauxlib.luaL_argerror(L, 1, to_luastring("uri empty"));
    const jump = lua.lua_toboolean(L, 2);
    if (!r) return 0;
    r.uri = uri;
    if (jump) {
      if (rt.current?.phase !== "rewrite") {
        return lauxlib.luaL_error(
          L,
          to_luastring("API disabled in the context of " + rt.current?.phase + "_by_lua*"),
        );
      }
      return rt.vm.yieldToHost(L, { op: "exec", uri, args: r.args, isJump: true });
    }
    return 0;
  });
  setFunction(L, "set_header", (L) => {
    const r = requireRequest(rt, L);
    const name = bytesToText(lauxlib.luaL_checklstring(L, 1)).replace(/_/g, "-");
    const kept = r.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
    if (lua.lua_type(L, 2) === lua.LUA_TTABLE) {
      const n = lua.lua_rawlen(L, 2);
      for (let i = 1; i <= n; i++) {
        lua.lua_rawgeti(L, 2, i);
        kept.push([name, logText(L, -1)]);
        lua.lua_pop(L, 1);
      }
    } else if (!lua.lua_isnoneornil(L, 2)) {
      kept.push([name, logText(L, 2)]);
    }
    r.headers.splice(0, r.headers.length, ...kept);
    return 0;
  });
  setFunction(L, "clear_header", (L) => {
    const r = requireRequest(rt, L);
    const name = bytesToText(lauxlib.luaL_checklstring(L, 1)).replace(/_/g, "-");
    const kept = r.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
    r.headers.splice(0, r.headers.length, ...kept);
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
