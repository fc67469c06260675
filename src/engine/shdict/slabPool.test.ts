import { describe, expect, it } from "vitest";
import { PAGE_SIZE, SlabPool } from "./slabPool";

function pool(size: number): SlabPool {
  const bytes = new Uint8Array(new SharedArrayBuffer(64 + size));
  const slab = new SlabPool(bytes, 64, size);
  slab.init();
  return slab;
}

describe("slab pool", () => {
  it.each([
    [12 * 1024, 2],
    [32 * 1024, 7],
    [1024 * 1024, 254],
    [10 * 1024 * 1024, 2544],
  ])("zone of %i bytes starts with %i free pages", (size, pages) => {
    expect(pool(size).freeSpace()).toBe(pages * PAGE_SIZE);
  });

  it("packs 16 blocks of 256 bytes in one page", () => {
    const slab = pool(32 * 1024);
    const blocks = Array.from({ length: 16 }, () => slab.alloc(172));
    expect(new Set(blocks).size).toBe(16);
    expect(slab.freeSpace()).toBe(6 * PAGE_SIZE);
    slab.alloc(172);
    expect(slab.freeSpace()).toBe(5 * PAGE_SIZE);
  });

  it("keeps the bitmap of 8-byte slots inside the page", () => {
    const slab = pool(32 * 1024);
    const blocks = Array.from({ length: 504 }, () => slab.alloc(8));
    expect(blocks.every((b) => b !== 0)).toBe(true);
    expect(slab.freeSpace()).toBe(6 * PAGE_SIZE);
    slab.alloc(8);
    expect(slab.freeSpace()).toBe(5 * PAGE_SIZE);
  });

  it("returns a page when its last slot is freed", () => {
    const slab = pool(32 * 1024);
    const a = slab.alloc(100);
    const b = slab.alloc(100);
    slab.free(a);
    expect(slab.freeSpace()).toBe(6 * PAGE_SIZE);
    slab.free(b);
    expect(slab.freeSpace()).toBe(7 * PAGE_SIZE);
  });

  it("takes whole pages above 2048 bytes", () => {
    const slab = pool(32 * 1024);
    expect(slab.alloc(2049)).not.toBe(0);
    expect(slab.freeSpace()).toBe(6 * PAGE_SIZE);
    expect(slab.alloc(3 * PAGE_SIZE)).not.toBe(0);
    expect(slab.freeSpace()).toBe(3 * PAGE_SIZE);
  });

  it("fails when no contiguous run is long enough", () => {
    const slab = pool(32 * 1024);
    const pages = Array.from({ length: 7 }, () => slab.alloc(PAGE_SIZE));
    slab.free(pages[1]);
    slab.free(pages[3]);
    expect(slab.alloc(2 * PAGE_SIZE)).toBe(0);
    slab.free(pages[2]);
    expect(slab.alloc(3 * PAGE_SIZE)).toBe(pages[1]);
  });

  it("merges freed runs with both neighbours", () => {
    const slab = pool(32 * 1024);
    const pages = Array.from({ length: 7 }, () => slab.alloc(PAGE_SIZE));
    for (const page of pages) slab.free(page);
    expect(slab.alloc(7 * PAGE_SIZE)).toBe(pages[0]);
  });
});
