/**
 * Builds the global `ngx` table of one process's Lua VM.
 */
import { lua, to_luastring } from "fengari";
import { installCore, logWithContext } from "./ngxCore";
import { installUnsupportedModules } from "./ngxUnsupported";
import { installLocation } from "./ngxLocation";
import { installOutput } from "./ngxOutput";
import { installReq } from "./ngxReq";
import { installRegex } from "./ngxRegex";
import { installShared } from "./ngxShared";
import { installSemaphore } from "./ngxSemaphore";
import { installSocket } from "./ngxSocket";
import { installDigests, installStringHelpers } from "./ngxString";
import { installThread } from "./ngxThread";
import { installTime } from "./ngxTime";
import { installTimer } from "./ngxTimer";
import { installVariables } from "./ngxVar";
import { installWorker } from "./ngxWorker";
import type { NgxRuntime } from "./runtime";

/** Installs `ngx` (and the `print` that logs) into the VM's globals. */
export function installNgx(rt: NgxRuntime): void {
  const L = rt.vm.L;
  lua.lua_newtable(L);
  installOutput(rt, L);
  installTime(rt, L);
  installVariables(rt, L);
  installReq(rt, L);
  installShared(rt, L);
  installTimer(rt, L);
  installWorker(rt, L);
  installStringHelpers(L);
  installDigests(L);
  installCore(rt, L);
  installThread(rt, L);
  installLocation(rt, L);
  installSocket(rt, L);
  installRegex(L, (message) => logWithContext(rt, "error", message));
  lua.lua_pushvalue(L, -1);
  lua.lua_setglobal(L, to_luastring("ngx"));
  // require "ngx" returns the same table, as in OpenResty.
  lua.lua_getglobal(L, to_luastring("package"));
  lua.lua_getfield(L, -1, to_luastring("loaded"));
  lua.lua_pushvalue(L, -3);
  lua.lua_setfield(L, -2, to_luastring("ngx"));
  lua.lua_pop(L, 3);
  installUnsupportedModules(L);
  installSemaphore(rt, L);
}
