/**
 * The methods of ngx.socket.tcp objects (connect, send, receive, close,
 * setkeepalive, timeouts) over the Cosocket state, with lua-nginx-module
 * 0.10's argument checks, results and error-log lines.
 */
import { lua, lauxlib, to_luastring } from "fengari";
import {
  Cosocket,
  DEFAULT_SOCKET_TIMEOUT_MS,
  takePartial,
  tryRead,
  type ReadAttempt,
  type ReadPattern,
} from "./cosocket";
import { logWithContext } from "./ngxCore";
import { collectOutput, concatBytes } from "./outputArgs";
import { checkBytes, pushText } from "./luaStack";
import { installSocketPool, type SocketPool } from "./socketPool";
import { requireContext, YIELDABLE, type NgxRuntime } from "./runtime";
import type { ParkRequest } from "../../phases/luaHandler";

type LuaState = unknown;

/** Sockets still connected, by the request or timer run that owns them. */
const socketsByOwner = new WeakMap<object, Set<Cosocket>>();

/**
 * Closes the cosockets of a request or timer run that ended, as
 * lua-nginx-module's request cleanup does. Pooled connections stay.
 * NOTE: the worker calls this for main requests and timer runs only, so
 * a subrequest's cosockets stay open after the subrequest ends.
 */
export function releaseCosockets(owner: object, at: number): void {
  const sockets = socketsByOwner.get(owner);
  if (!sockets) return;
  socketsByOwner.delete(owner);
  for (const socket of sockets) {
    if (socket.owner === owner) socket.finalize(at);
  }
}

function track(socket: Cosocket, owner: object): void {
  let sockets = socketsByOwner.get(owner);
  if (!sockets) {
    sockets = new Set();
    socketsByOwner.set(owner, sockets);
  }
  sockets.add(socket);
}

export function pushFailure(L: LuaState, message: string): number {
  lua.lua_pushnil(L);
  pushText(L, message);
  return 2;
}

function pushBytes(L: LuaState, bytes: Uint8Array): void {
  lua.lua_pushlstring(L, bytes, bytes.length);
}

/** The socket methods of one worker, with its socket objects and pool. */
export class SocketApi {
  private readonly sockets = new WeakMap<object, Cosocket>();
  private nextId = 1;
  private readonly pool: SocketPool;

  constructor(private readonly rt: NgxRuntime) {
    this.pool = installSocketPool(rt);
  }

  get clock(): number {
    return this.rt.process.clock;
  }

  /** Returns the running request or timer run; raises outside of both. */
  owner(L: LuaState): object {
    const ctx = this.rt.current;
    if (ctx === null || ctx.phase === "init") {
      lauxlib.luaL_error(L, to_luastring("no request found"));
    }
    return ctx!.request ?? ctx!;
  }

  socketAt(L: LuaState): Cosocket | null {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    return this.sockets.get(lua.lua_topointer(L, 1) as object) ?? null;
  }

  create(L: LuaState): number {
    const n = lua.lua_gettop(L);
    if (n !== 0) {
      return lauxlib.luaL_error(
        L,
        to_luastring(`expecting zero arguments, but got ${n}`),
      );
    }
    requireContext(this.rt, L, YIELDABLE);
    lua.lua_newtable(L);
    this.sockets.set(lua.lua_topointer(L, -1) as object, new Cosocket(this.nextId++));
    lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
    lua.lua_setmetatable(L, -2);
    return 1;
  }

  /** Logs nginx's "attempt to ... on a closed socket" line. */
  logClosed(socket: Cosocket | null, action: string): void {
    const where = socket
      ? `${socket.addressText()}, ft:0 eof:${socket.isEof ? 1 : 0}`
      : "u:0000000000000000, c:0000000000000000, ft:0 eof:0";
    logWithContext(
      this.rt,
      "error",
      `attempt to ${action} data on a closed socket: ${where}`,
    );
  }

  checkOwner(L: LuaState, socket: Cosocket): void {
    if (socket.owner !== this.owner(L)) {
      lauxlib.luaL_error(L, to_luastring("bad request"));
    }
  }

  /** Returns nginx's "socket busy ..." message, or null when not busy. */
  busyMessage(socket: Cosocket, isReading: boolean): string | null {
    if (socket.isConnecting) return "socket busy connecting";
    if (isReading && socket.isReading) return "socket busy reading";
    return null;
  }

  connect(L: LuaState): number {
    const n = lua.lua_gettop(L);
    if (n < 2 || n > 4) {
      return lauxlib.luaL_error(
        L,
        to_luastring(
          "ngx.socket connect: expecting 2, 3, or 4 arguments " +
            `(including the object), but seen ${n}`,
        ),
      );
    }
    const owner = this.owner(L);
    requireContext(this.rt, L, YIELDABLE);
    const socket = this.socketAt(L);
    const host = new TextDecoder().decode(checkBytes(L, 2));
    const poolName = n >= 3 && lua.lua_type(L, n) === lua.LUA_TTABLE
      ? this.poolOption(L, n)
      : null;
    if (!lua.lua_isnumber(L, 3)) {
      if (host.toLowerCase().startsWith("unix:")) {
        return pushFailure(L, "no such file or directory");
      }
      return pushFailure(L, "missing the port number");
    }
    const port = Number(lua.lua_tointeger(L, 3));
    if (port < 0 || port > 65535) return pushFailure(L, `bad port number: ${port}`);
    if (!socket) return pushFailure(L, "closed");
    if (socket.owner !== null && socket.stream && socket.owner !== owner) {
      return lauxlib.luaL_error(L, to_luastring("bad request"));
    }
    const busy = this.busyMessage(socket, true);
    if (busy) return pushFailure(L, busy);
    if (socket.stream) socket.finalize(this.clock);
    socket.poolKey = poolName ?? `${host}:${port}`;
    const pooled = this.pool.take(socket.poolKey);
    if (pooled) {
      socket.attach(pooled.stream, owner, pooled.reusedTimes + 1);
      track(socket, owner);
      lua.lua_pushinteger(L, 1);
      return 1;
    }
    return this.openConnection(L, socket, owner, host, port);
  }

  private poolOption(L: LuaState, index: number): string | null {
    lua.lua_getfield(L, index, to_luastring("pool"));
    const type = lua.lua_type(L, -1);
    const name =
      type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER
        ? new TextDecoder().decode(lua.lua_tolstring(L, -1))
        : null;
    lua.lua_pop(L, 1);
    return name;
  }

  private openConnection(
    L: LuaState,
    socket: Cosocket,
    owner: object,
    host: string,
    port: number,
  ): number {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
      // The simulator has no resolver; `resolver` is accepted but ignored.
      return pushFailure(L, `no resolver defined to resolve "${host}"`);
    }
    const stream = this.rt.network?.connect(host, port, this.clock) ?? null;
    if (!stream) {
      logWithContext(this.rt, "error", "connect() failed (111: Connection refused)");
      return pushFailure(L, "connection refused");
    }
    socket.attach(stream, owner, 0);
    track(socket, owner);
    socket.isConnecting = true;
    // A loopback connection is established at once; the handshake still
    // takes one event loop turn, as the write event nginx waits for.
    const request: ParkRequest = {
      op: "socket-connect",
      timeoutMs: null,
      park: (resume) =>
        resume(this.clock, (L) => {
          socket.isConnecting = false;
          lua.lua_pushinteger(L, 1);
          return 1;
        }),
      onTimeout: () => 0,
    };
    return this.rt.vm.yieldToHost(L, { ...request });
  }

  send(L: LuaState): number {
    const n = lua.lua_gettop(L);
    if (n !== 2) {
      return lauxlib.luaL_error(
        L,
        to_luastring(
          `expecting 2 arguments (including the object), but got ${n}`,
        ),
      );
    }
    this.owner(L);
    const socket = this.socketAt(L);
    if (!socket || !socket.stream || socket.isWriteClosed) {
      this.logClosed(socket, "send");
      return pushFailure(L, "closed");
    }
    this.checkOwner(L, socket);
    if (socket.isConnecting) return pushFailure(L, "socket busy connecting");
    const data = concatBytes(collectOutput(L, 2));
    if (data.length > 0) socket.stream.send(data, this.clock);
    lua.lua_pushinteger(L, data.length);
    return 1;
  }

  receive(L: LuaState, readPattern: (L: LuaState) => ReadPattern | "empty"): number {
    this.owner(L);
    const socket = this.socketAt(L);
    if (!socket || !socket.stream || socket.isReadClosed) {
      this.logClosed(socket, "receive");
      return pushFailure(L, "closed");
    }
    this.checkOwner(L, socket);
    const busy = this.busyMessage(socket, true);
    if (busy) return pushFailure(L, busy);
    const pattern = readPattern(L);
    if (pattern === "empty") {
      pushText(L, "");
      return 1;
    }
    return this.read(L, socket, pattern);
  }

  /** Reads now if the buffer allows, else parks until data or timeout. */
  read(L: LuaState, socket: Cosocket, pattern: ReadPattern): number {
    const stream = socket.stream!;
    const attempt = tryRead(stream.inbox, stream.isEof, pattern);
    if (attempt.kind !== "wait") return this.pushAttempt(L, socket, attempt);
    socket.isReading = true;
    const timeoutMs = socket.readTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS;
    const request: ParkRequest = {
      op: "socket-receive",
      timeoutMs,
      park: (resume) => {
        stream.onReadable = (at) => {
          if (socket.stream !== stream) return;
          const next = tryRead(stream.inbox, stream.isEof, pattern);
          if (next.kind === "wait") return;
          stream.onReadable = null;
          resume(at, (L) => {
            socket.isReading = false;
            return this.pushAttempt(L, socket, next);
          });
        };
      },
      onTimeout: (L) => {
        socket.isReading = false;
        stream.onReadable = null;
        logWithContext(this.rt, "error", "lua tcp socket read timed out");
        lua.lua_pushnil(L);
        pushText(L, "timeout");
        pushBytes(L, takePartial(stream.inbox, pattern));
        return 3;
      },
    };
    return this.rt.vm.yieldToHost(L, { ...request });
  }

  private pushAttempt(L: LuaState, socket: Cosocket, attempt: ReadAttempt): number {
    switch (attempt.kind) {
      case "data":
        pushBytes(L, attempt.data);
        return 1;
      case "boundary":
        lua.lua_pushnil(L);
        return 1;
      case "closed":
        // nginx closes only the reading side; send and close still work.
        socket.isEof = true;
        socket.isReadClosed = true;
        lua.lua_pushnil(L);
        pushText(L, "closed");
        pushBytes(L, attempt.partial);
        return 3;
      case "wait":
        throw new Error("a read that must wait has no values to push");
    }
  }

  close(L: LuaState): number {
    const n = lua.lua_gettop(L);
    if (n !== 1) {
      return lauxlib.luaL_error(
        L,
        to_luastring(`expecting 1 argument (including the object) but seen ${n}`),
      );
    }
    this.owner(L);
    const socket = this.socketAt(L);
    if (!socket || socket.isClosed) return pushFailure(L, "closed");
    this.checkOwner(L, socket);
    const busy = this.busyMessage(socket, true);
    if (busy) return pushFailure(L, busy);
    socket.finalize(this.clock);
    lua.lua_pushinteger(L, 1);
    return 1;
  }

  setKeepalive(L: LuaState): number {
    const n = lua.lua_gettop(L);
    if (n < 1 || n > 3) {
      return lauxlib.luaL_error(
        L,
        to_luastring(
          `expecting 1 to 3 arguments (including the object), but got ${n}`,
        ),
      );
    }
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    this.owner(L);
    const timeoutMs = n >= 2 && !lua.lua_isnil(L, 2)
      ? Number(lauxlib.luaL_checkinteger(L, 2))
      : null;
    const size = n >= 3 && !lua.lua_isnil(L, 3)
      ? Number(lauxlib.luaL_checkinteger(L, 3))
      : null;
    const socket = this.socketAt(L);
    const stream = socket?.stream ?? null;
    if (!socket || !stream) return pushFailure(L, "closed");
    if (socket.isReadClosed || socket.isWriteClosed || stream.isEof) {
      return pushFailure(L, "closed");
    }
    this.checkOwner(L, socket);
    const busy = this.busyMessage(socket, true);
    if (busy) return pushFailure(L, busy);
    if (stream.inbox.length > 0) return pushFailure(L, "unread data in buffer");
    if (this.rt.isExiting) {
      socket.finalize(this.clock);
    } else {
      this.pool.put(socket.poolKey, stream, socket.reusedTimes, timeoutMs, size);
      socket.stream = null;
    }
    lua.lua_pushinteger(L, 1);
    return 1;
  }

  /**
   * settimeout(ms) sets the connect, send and read timeouts at once;
   * settimeouts(connect, send, read) sets each. 0 means the
   * lua_socket_*_timeout default, as in nginx.
   */
  setTimeouts(L: LuaState, method: "settimeout" | "settimeouts"): number {
    const expected = method === "settimeout" ? 2 : 4;
    const n = lua.lua_gettop(L);
    if (n !== expected) {
      return lauxlib.luaL_error(
        L,
        to_luastring(
          `ngx.socket ${method}: expecting ${expected} arguments ` +
            `(including the object) but seen ${n}`,
        ),
      );
    }
    const values: number[] = [];
    for (let i = 2; i <= n; i++) {
      const ms = Number(lauxlib.luaL_checknumber(L, i));
      if (ms < 0 || ms > 0x7fffffff) {
        return lauxlib.luaL_error(L, to_luastring("bad timeout value"));
      }
      values.push(ms > 0 ? ms : 0);
    }
    const [connect, send, read] =
      values.length === 1 ? [values[0], values[0], values[0]] : values;
    const socket = this.socketAt(L);
    if (!socket) return 0;
    socket.connectTimeoutMs = connect > 0 ? connect : null;
    socket.sendTimeoutMs = send > 0 ? send : null;
    socket.readTimeoutMs = read > 0 ? read : null;
    lua.lua_pushboolean(L, true);
    return 1;
  }

  getReusedTimes(L: LuaState): number {
    const socket = this.socketAt(L);
    if (!socket || socket.isClosed) return pushFailure(L, "closed");
    lua.lua_pushinteger(L, socket.reusedTimes);
    return 1;
  }
}
