/**
 * The cosocket connection pool of one worker, as setkeepalive fills it:
 * idle connections by pool key (`host:port` unless connect's `pool`
 * option names one), the most recently pooled first. A pooled connection
 * leaves the pool when it is reused, when its keepalive timeout passes,
 * when the server closes it or sends bytes nobody asked for, and when the
 * pool is full and a newer one pushes it out.
 */
import {
  DEFAULT_KEEPALIVE_TIMEOUT_MS,
  DEFAULT_POOL_SIZE,
  type LoopbackStream,
} from "./cosocket";
import type { NgxRuntime } from "./runtime";

/** A connection taken from the pool, with how often it was reused. */
export interface PooledConnection {
  stream: LoopbackStream;
  reusedTimes: number;
}

interface PoolItem extends PooledConnection {
  isIdle: boolean;
}

/** The operations ngx.socket needs from the pool. */
export interface SocketPool {
  /** Takes the most recently pooled idle connection for `key`, if any. */
  take(key: string): PooledConnection | null;
  /**
   * Keeps an idle connection for `timeoutMs` (0: no limit; null: the
   * lua_socket_keepalive_timeout default) in a pool of at most `size`.
   */
  put(
    key: string,
    stream: LoopbackStream,
    reusedTimes: number,
    timeoutMs: number | null,
    size: number | null,
  ): void;
}

/** Creates the pool of the worker `rt` runs in. */
export function installSocketPool(rt: NgxRuntime): SocketPool {
  const pools = new Map<string, PoolItem[]>();

  const drop = (key: string, item: PoolItem) => {
    if (!item.isIdle) return;
    item.isIdle = false;
    item.stream.onReadable = null;
    item.stream.close(rt.process.clock);
    const items = pools.get(key) ?? [];
    const index = items.indexOf(item);
    if (index >= 0) items.splice(index, 1);
  };

  return {
    take(key) {
      const items = pools.get(key) ?? [];
      const item = items.shift();
      if (!item) return null;
      item.isIdle = false;
      item.stream.onReadable = null;
      return { stream: item.stream, reusedTimes: item.reusedTimes };
    },
    put(key, stream, reusedTimes, timeoutMs, size) {
      const items = pools.get(key) ?? [];
      pools.set(key, items);
      const limit = size !== null && size > 0 ? size : DEFAULT_POOL_SIZE;
      while (items.length >= limit) drop(key, items[items.length - 1]);
      const item: PoolItem = { stream, reusedTimes, isIdle: true };
      items.unshift(item);
      // An idle connection that becomes readable was closed by the server
      // (or got stray bytes): nginx closes it and forgets it.
      stream.onReadable = () => drop(key, item);
      const ms = timeoutMs ?? DEFAULT_KEEPALIVE_TIMEOUT_MS;
      if (ms > 0) {
        rt.network?.at(rt.process.clock + ms, `keepalive ${key}`, () =>
          drop(key, item),
        );
      }
    },
  };
}
