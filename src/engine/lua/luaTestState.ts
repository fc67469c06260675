/**
 * Test support: runs Lua source in a sandboxed state and returns what it
 * printed, so tests compare LuaJIT-visible output.
 */
import { lua, lauxlib, to_luastring, to_jsstring } from "fengari";
import { createSandboxState, type SandboxHost } from "./sandbox";

/** LuaJIT's package.path as recorded on the reference OpenResty machine. */
export const REFERENCE_PACKAGE_PATH = [
  "/usr/share/lua/5.1/?.lua",
  "/usr/share/lua/5.1/?.lua",
  "./?.lua",
  "/usr/share/luajit-2.1.0-beta3/?.lua",
  "/usr/local/share/lua/5.1/?.lua",
  "/usr/local/share/lua/5.1/?/init.lua",
  "/usr/share/lua/5.1/?.lua",
  "/usr/share/lua/5.1/?/init.lua",
].join(";");

/** LuaJIT's package.cpath on the same machine. */
export const REFERENCE_PACKAGE_CPATH = [
  "./?.so",
  "/usr/local/lib/lua/5.1/?.so",
  "/usr/lib/x86_64-linux-gnu/lua/5.1/?.so",
  "/usr/local/lib/lua/5.1/loadall.so",
].join(";");

/** Runs `source` in a fresh sandbox; returns printed lines or the error. */
export function runLua(
  source: string,
  files: Record<string, string> = {},
): { output: string[]; error: string | null } {
  const output: string[] = [];
  const host: SandboxHost = {
    print: (message) => output.push(message),
    clock: () => 1.25,
    time: () => 1700000000,
    readFile: (path) => files[path] ?? null,
    packagePath: REFERENCE_PACKAGE_PATH,
    packageCpath: REFERENCE_PACKAGE_CPATH,
  };
  const L = createSandboxState(host);
  const status = lauxlib.luaL_loadbufferx(
    L,
    to_luastring(source),
    null,
    to_luastring("=test"),
    to_luastring("t"),
  );
  const callStatus = status === lua.LUA_OK ? lua.lua_pcall(L, 0, 0, 0) : status;
  const error =
    callStatus === lua.LUA_OK ? null : to_jsstring(lua.lua_tostring(L, -1));
  return { output, error };
}
