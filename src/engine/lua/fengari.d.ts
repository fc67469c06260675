/**
 * Minimal typings for fengari 0.1.5 (Lua in JavaScript), which ships none.
 * Only the shape the engine relies on is typed; the C-like API functions
 * are loosely typed because they mirror Lua's C API one to one.
 */
declare module "fengari" {
  /** A Lua thread (fengari's lua_State); opaque to the engine. */
  export interface LuaState {
    readonly __luaState: unique symbol;
  }
  /** A JavaScript function callable from Lua: returns the result count. */
  export type LuaCFunction = (L: LuaState) => number;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type LuaApi = Record<string, any>;

  export const lua: LuaApi;
  export const lauxlib: LuaApi;
  export const lualib: LuaApi;
  export function to_luastring(s: string, cache?: boolean): Uint8Array;
  export function to_jsstring(
    s: Uint8Array,
    from?: number,
    to?: number,
    replacementChar?: boolean,
  ): string;
  export function to_uristring(s: Uint8Array): string;
}
