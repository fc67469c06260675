/**
 * nginx's slab allocator (src/core/ngx_slab.c, nginx 1.27) over a byte
 * range of a SharedArrayBuffer, so that capacity(), free_space(), "no
 * memory" and LRU eviction happen where they happen in nginx.
 *
 * The model, for a zone of SIZE bytes on 64-bit Linux:
 * - The zone starts with ngx_slab_pool_t (200 bytes: the sum of its
 *   fields, with a 64-byte ngx_shmtx_t that embeds a 32-byte sem_t), then
 *   9 slot list heads (ngx_slab_page_t, 24 bytes each) and 9 statistics
 *   records (ngx_slab_stat_t, 32 bytes each).
 * - ngx_slab_init() then takes pages = (rest) / (4096 + 24) page
 *   descriptors, starts the pages at the next 4 KiB boundary, and drops
 *   the pages that no longer fit. free_space() is the free page count
 *   times 4096.
 * - A request above 2048 bytes takes whole contiguous pages, first fit
 *   along the free list. Freed runs merge with free neighbours and go to
 *   the head of that list.
 * - A smaller request takes a slot of the next power of two (at least 8
 *   bytes) from the first page in that size's list, at the first clear
 *   bit of the page's bitmap. Sizes below 64 bytes keep the bitmap in the
 *   page itself, which uses up its first slots. A page whose last slot is
 *   freed goes back to the free pages.
 *
 * This file stores its own fields in the space nginx reserves for its
 * structures (page descriptors are 24 bytes here too), so the layout
 * consumes exactly the bytes nginx's does, but it is not byte-compatible.
 * Offsets are relative to the zone start; 0 is never a valid block.
 */

export const PAGE_SIZE = 4096;
const PAGE_SHIFT = 12;
const MIN_SHIFT = 3;
/** Slots of 64 bytes (4096 / 64 bits of a uintptr_t bitmap). */
const EXACT_SHIFT = 6;
/** Largest slot size; larger requests take whole pages. */
export const MAX_SLOT_SIZE = PAGE_SIZE / 2;
const SLOT_LISTS = PAGE_SHIFT - MIN_SHIFT;

/** sizeof(ngx_slab_pool_t) on x86_64 Linux with POSIX semaphores. */
export const POOL_HEADER_SIZE = 200;
const SLOT_HEAD_SIZE = 24;
const STAT_SIZE = 32;
const PAGE_DESC_SIZE = 24;
const SLOTS_OFFSET = POOL_HEADER_SIZE;
const PAGES_OFFSET = SLOTS_OFFSET + SLOT_LISTS * (SLOT_HEAD_SIZE + STAT_SIZE);

/** Pool header words this allocator owns (byte offsets in the zone). */
const H_PFREE = 0;
const H_FREE_HEAD = 4;
const H_PAGES = 8;
const H_START = 12;
/** Bytes 16..63 of the header are left to the dict (see FIRST_USER_FIELD). */
export const FIRST_USER_FIELD = 16;

/** Page descriptor words (byte offsets inside a descriptor). */
const D_SLAB = 0; // run length, or the slot shift of a slab page
const D_NEXT = 4;
const D_PREV = 8;
/** The page kind in the low 8 bits, the used slot count above them. */
const D_STATE = 12;
const D_BITMAP = 16; // slots of 64..2048 bytes: up to 64 bits in 2 words

const NONE = -1;

const enum PageKind {
  /** Inside a free run (neither its first nor its last page). */
  FreeInner = 0,
  /** First page of a free run; D_SLAB contains the run length. */
  FreeStart = 1,
  /** Last page of a free run of 2 or more; D_SLAB contains the start. */
  FreeTail = 2,
  /** First page of an allocated run; D_SLAB contains the run length. */
  BusyStart = 3,
  BusyInner = 4,
  /** A page cut into slots; D_SLAB contains the shift. */
  Slab = 5,
}

/** Number of slots at the start of a page that its own bitmap occupies. */
function bitmapSlots(shift: number): number {
  if (shift >= EXACT_SHIFT) return 0;
  const slots = PAGE_SIZE >> shift;
  return Math.max(1, Math.floor(slots / ((1 << shift) * 8)));
}

function shiftFor(size: number): number {
  let shift = MIN_SHIFT;
  while (1 << shift < size) shift++;
  return shift;
}

export class SlabPool {
  private readonly i32: Int32Array;

  /**
   * @param u8 a byte view over the whole shared buffer
   * @param base byte offset of the zone in the buffer (a multiple of 8)
   * @param size the zone size in bytes, as lua_shared_dict gives it
   */
  constructor(
    private readonly u8: Uint8Array,
    private readonly base: number,
    readonly size: number,
  ) {
    this.i32 = new Int32Array(u8.buffer, u8.byteOffset, u8.byteLength >> 2);
  }

  /** Lays out an empty pool, as ngx_slab_init() does. */
  init(): void {
    for (let i = 0; i < SLOT_LISTS; i++) {
      this.setWord(SLOTS_OFFSET + i * SLOT_HEAD_SIZE, NONE);
    }
    const rest = this.size - PAGES_OFFSET;
    let pages = Math.max(0, Math.floor(rest / (PAGE_SIZE + PAGE_DESC_SIZE)));
    const descEnd = PAGES_OFFSET + pages * PAGE_DESC_SIZE;
    const start = Math.ceil(descEnd / PAGE_SIZE) * PAGE_SIZE;
    const fitting = Math.max(0, Math.floor((this.size - start) / PAGE_SIZE));
    pages = Math.min(pages, fitting);
    this.setWord(H_PAGES, pages);
    this.setWord(H_START, start);
    this.setWord(H_PFREE, 0);
    this.setWord(H_FREE_HEAD, NONE);
    if (pages > 0) this.freePages(0, pages);
  }

  /** Free whole pages times 4096, as ngx_http_lua_ffi_shdict_free_space. */
  freeSpace(): number {
    return this.word(H_PFREE) * PAGE_SIZE;
  }

  /** Allocates `size` bytes; returns the block's zone offset or 0. */
  alloc(size: number): number {
    if (size > MAX_SLOT_SIZE) {
      const count = Math.ceil(size / PAGE_SIZE);
      const page = this.allocPages(count);
      return page === NONE ? 0 : this.pageOffset(page);
    }
    const shift = shiftFor(size);
    const head = SLOTS_OFFSET + (shift - MIN_SHIFT) * SLOT_HEAD_SIZE;
    const page = this.word(head);
    if (page !== NONE) return this.takeSlot(page, shift, head);
    return this.startSlabPage(shift, head);
  }

  /** Frees a block that alloc() returned. */
  free(offset: number): void {
    const page = (offset - this.word(H_START)) >> PAGE_SHIFT;
    const kind = this.kind(page);
    if (kind === PageKind.BusyStart) {
      this.freePages(page, this.desc(page, D_SLAB));
      return;
    }
    if (kind !== PageKind.Slab) {
      throw new Error(`slab pool: free of a block that is not allocated`);
    }
    const shift = this.desc(page, D_SLAB);
    const slot = (offset - this.pageOffset(page)) >> shift;
    this.setBit(page, shift, slot, false);
    const used = this.used(page);
    const head = SLOTS_OFFSET + (shift - MIN_SHIFT) * SLOT_HEAD_SIZE;
    if (used === this.slotsPerPage(shift)) this.pushSlabPage(page, head);
    this.setUsed(page, used - 1);
    if (used - 1 === 0) {
      this.unlinkSlabPage(page, head);
      this.freePages(page, 1);
    }
  }

  private slotsPerPage(shift: number): number {
    return (PAGE_SIZE >> shift) - bitmapSlots(shift);
  }

  private startSlabPage(shift: number, head: number): number {
    const page = this.allocPages(1);
    if (page === NONE) return 0;
    this.setKind(page, PageKind.Slab);
    this.setDesc(page, D_SLAB, shift);
    this.setUsed(page, 0);
    this.setDesc(page, D_BITMAP, 0);
    this.setDesc(page, D_BITMAP + 4, 0);
    const reserved = bitmapSlots(shift);
    if (reserved > 0) {
      const at = this.base + this.pageOffset(page);
      this.u8.fill(0, at, at + ((PAGE_SIZE >> shift) >> 3));
      for (let i = 0; i < reserved; i++) this.setBit(page, shift, i, true);
    }
    this.pushSlabPage(page, head);
    return this.takeSlot(page, shift, head);
  }

  private takeSlot(page: number, shift: number, head: number): number {
    const slots = PAGE_SIZE >> shift;
    let slot = 0;
    while (slot < slots && this.bit(page, shift, slot)) slot++;
    this.setBit(page, shift, slot, true);
    const used = this.used(page) + 1;
    this.setUsed(page, used);
    if (used === this.slotsPerPage(shift)) this.unlinkSlabPage(page, head);
    return this.pageOffset(page) + (slot << shift);
  }

  private bit(page: number, shift: number, slot: number): boolean {
    if (shift < EXACT_SHIFT) {
      const at = this.base + this.pageOffset(page) + (slot >> 3);
      return (this.u8[at] & (1 << (slot & 7))) !== 0;
    }
    const word = this.desc(page, D_BITMAP + ((slot >> 5) << 2));
    return (word & (1 << (slot & 31))) !== 0;
  }

  private setBit(page: number, shift: number, slot: number, on: boolean) {
    if (shift < EXACT_SHIFT) {
      const at = this.base + this.pageOffset(page) + (slot >> 3);
      const mask = 1 << (slot & 7);
      this.u8[at] = on ? this.u8[at] | mask : this.u8[at] & ~mask;
      return;
    }
    const field = D_BITMAP + ((slot >> 5) << 2);
    const mask = 1 << (slot & 31);
    const word = this.desc(page, field);
    this.setDesc(page, field, on ? word | mask : word & ~mask);
  }

  /** Puts a slab page first in its size's list of pages with free slots. */
  private pushSlabPage(page: number, head: number): void {
    const first = this.word(head);
    this.setDesc(page, D_PREV, NONE);
    this.setDesc(page, D_NEXT, first);
    if (first !== NONE) this.setDesc(first, D_PREV, page);
    this.setWord(head, page);
  }

  private unlinkSlabPage(page: number, head: number): void {
    const prev = this.desc(page, D_PREV);
    const next = this.desc(page, D_NEXT);
    if (prev === NONE) this.setWord(head, next);
    else this.setDesc(prev, D_NEXT, next);
    if (next !== NONE) this.setDesc(next, D_PREV, prev);
  }

  /** First fit along the free list, as ngx_slab_alloc_pages(). */
  private allocPages(count: number): number {
    for (let run = this.word(H_FREE_HEAD); run !== NONE; ) {
      const length = this.desc(run, D_SLAB);
      if (length >= count) {
        if (length > count) {
          const rest = run + count;
          this.replaceFreeRun(run, rest);
          this.markFreeRun(rest, length - count);
        } else {
          this.unlinkFreeRun(run);
        }
        this.setKind(run, PageKind.BusyStart);
        this.setDesc(run, D_SLAB, count);
        for (let p = run + 1; p < run + count; p++) {
          this.setKind(p, PageKind.BusyInner);
        }
        this.setWord(H_PFREE, this.word(H_PFREE) - count);
        return run;
      }
      run = this.desc(run, D_NEXT);
    }
    return NONE;
  }

  /** Frees a run and merges it with free neighbours (ngx_slab_free_pages). */
  private freePages(page: number, count: number): void {
    this.setWord(H_PFREE, this.word(H_PFREE) + count);
    for (let p = page; p < page + count; p++) {
      this.setKind(p, PageKind.FreeInner);
    }
    let start = page;
    let length = count;
    const after = page + count;
    if (
      after < this.word(H_PAGES) &&
      this.kind(after) === PageKind.FreeStart
    ) {
      length += this.desc(after, D_SLAB);
      this.unlinkFreeRun(after);
      this.setKind(after, PageKind.FreeInner);
    }
    if (page > 0) {
      const before = page - 1;
      const kind = this.kind(before);
      let runStart = NONE;
      if (kind === PageKind.FreeStart) runStart = before;
      if (kind === PageKind.FreeTail) runStart = this.desc(before, D_SLAB);
      if (runStart !== NONE) {
        length += this.desc(runStart, D_SLAB);
        this.unlinkFreeRun(runStart);
        this.setKind(before, PageKind.FreeInner);
        start = runStart;
      }
    }
    this.markFreeRun(start, length);
    const first = this.word(H_FREE_HEAD);
    this.setDesc(start, D_PREV, NONE);
    this.setDesc(start, D_NEXT, first);
    if (first !== NONE) this.setDesc(first, D_PREV, start);
    this.setWord(H_FREE_HEAD, start);
  }

  private markFreeRun(start: number, length: number): void {
    this.setKind(start, PageKind.FreeStart);
    this.setDesc(start, D_SLAB, length);
    if (length > 1) {
      const tail = start + length - 1;
      this.setKind(tail, PageKind.FreeTail);
      this.setDesc(tail, D_SLAB, start);
    }
  }

  /** Puts `next` where `run` was in the free list (a split keeps order). */
  private replaceFreeRun(run: number, next: number): void {
    const prev = this.desc(run, D_PREV);
    const after = this.desc(run, D_NEXT);
    this.setDesc(next, D_PREV, prev);
    this.setDesc(next, D_NEXT, after);
    if (prev === NONE) this.setWord(H_FREE_HEAD, next);
    else this.setDesc(prev, D_NEXT, next);
    if (after !== NONE) this.setDesc(after, D_PREV, next);
  }

  private unlinkFreeRun(run: number): void {
    const prev = this.desc(run, D_PREV);
    const next = this.desc(run, D_NEXT);
    if (prev === NONE) this.setWord(H_FREE_HEAD, next);
    else this.setDesc(prev, D_NEXT, next);
    if (next !== NONE) this.setDesc(next, D_PREV, prev);
  }

  private pageOffset(page: number): number {
    return this.word(H_START) + page * PAGE_SIZE;
  }

  private kind(page: number): PageKind {
    return this.desc(page, D_STATE) & 0xff;
  }

  private setKind(page: number, kind: PageKind): void {
    this.setDesc(page, D_STATE, kind);
  }

  private used(page: number): number {
    return this.desc(page, D_STATE) >>> 8;
  }

  private setUsed(page: number, used: number): void {
    this.setDesc(page, D_STATE, (used << 8) | this.kind(page));
  }

  private desc(page: number, field: number): number {
    return this.word(PAGES_OFFSET + page * PAGE_DESC_SIZE + field);
  }

  private setDesc(page: number, field: number, value: number): void {
    this.setWord(PAGES_OFFSET + page * PAGE_DESC_SIZE + field, value);
  }

  private word(offset: number): number {
    return this.i32[(this.base + offset) >> 2];
  }

  private setWord(offset: number, value: number): void {
    this.i32[(this.base + offset) >> 2] = value;
  }
}
