/**
 * package.path and package.cpath as OpenResty's LuaJIT builds them from
 * `lua_package_path`: a `;;` in the directive stands for the built-in
 * defaults (those of Debian's LuaJIT 2.1 packages, which the reference
 * server used).
 */

/** lua-nginx-module's own default search path, put before LuaJIT's. */
const NGX_LUA_DEFAULT_PATH = "/usr/share/lua/5.1/?.lua";

const LUAJIT_DEFAULT_PATH = [
  "./?.lua",
  "/usr/share/luajit-2.1.0-beta3/?.lua",
  "/usr/local/share/lua/5.1/?.lua",
  "/usr/local/share/lua/5.1/?/init.lua",
  "/usr/share/lua/5.1/?.lua",
  "/usr/share/lua/5.1/?/init.lua",
].join(";");

const LUAJIT_DEFAULT_CPATH = [
  "./?.so",
  "/usr/local/lib/lua/5.1/?.so",
  "/usr/lib/x86_64-linux-gnu/lua/5.1/?.so",
  "/usr/local/lib/lua/5.1/loadall.so",
].join(";");

function expand(configured: string | null, defaults: string): string {
  if (configured === null) return defaults;
  return configured.replace(";;", `;${defaults}`).replace(/;$/, "");
}

/** Expands `lua_package_path`'s value into package.path. */
export function expandPackagePath(configured: string | null): string {
  return expand(configured, `${NGX_LUA_DEFAULT_PATH};${LUAJIT_DEFAULT_PATH}`);
}

/** Expands `lua_package_cpath`'s value into package.cpath. */
export function expandPackageCpath(configured: string | null): string {
  return expand(configured, LUAJIT_DEFAULT_CPATH);
}
