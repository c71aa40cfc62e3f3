/**
 * Regions of shared WebAssembly memories for the small kernel data that long-lived objects keep:
 * a prepared solver's Newton workspace (newton-wasm.ts), its Jacobian's LU factors and its DC
 * model's (lu-wasm.ts, LuOptions.kept). A new memory with an instance of a kernel module on it
 * costs ~60-90 us; a prepared AC solver made two (KLU) or three (TypeScript LU) of them, a sixth
 * of its set-up on case118. A region of a memory already there costs well under a microsecond.
 *
 * Per module, one memory of ARENA_BYTES is carved in order, with one instance of the module on
 * it; a region that does not fit opens the next memory. A released region (factors disposed, or
 * re-pivoted into a new layout) is reused once every region above it is released too; regions
 * of objects that are never disposed keep their memory alive, as a memory of their own did.
 * Every region starts zeroed, as a new memory does. Factors of one-shot solves, which are
 * disposed at once, keep lu-wasm.ts's spare memories.
 *
 * The kernels keep their arrays' byte offsets in the instance's globals (setLayout): the
 * bindings sharing an instance each claim it (`held.owner`) and set their layout again when
 * another binding had it. A memory is never grown (lu-wasm.ts: growing detaches its buffer).
 */

/** Bytes of one shared memory; regions above ARENA_REGION_MAX get a memory of their own. */
export const ARENA_BYTES = 4 << 20;
export const ARENA_REGION_MAX = ARENA_BYTES >> 2;

/** What an instance's layout globals currently hold. */
export interface LayoutHolder {
  owner: object | null;
}

export interface ArenaRegion {
  readonly memory: WebAssembly.Memory;
  readonly instance: WebAssembly.Instance;
  /** byte offset of the region in the memory (8-aligned) */
  readonly at: number;
  readonly bytes: number;
  /** shared by every region of the memory */
  readonly held: LayoutHolder;
  /** The region is free again (its views must not be used any more). */
  release(): void;
}

class Arena {
  readonly memory: WebAssembly.Memory;
  readonly instance: WebAssembly.Instance;
  readonly held: LayoutHolder = { owner: null };
  top = 0;
  /** bytes written at some point (below it a reused region is zeroed) */
  used = 0;
  readonly regions: { at: number; end: number; free: boolean }[] = [];

  constructor(module: WebAssembly.Module, imports: (memory: WebAssembly.Memory) => WebAssembly.Imports) {
    this.memory = new WebAssembly.Memory({ initial: ARENA_BYTES / 65536 });
    this.instance = new WebAssembly.Instance(module, imports(this.memory));
  }

  carve(bytes: number): ArenaRegion | null {
    const at = (this.top + 7) & ~7;
    const end = at + bytes;
    if (end > ARENA_BYTES) return null;
    if (at < this.used) new Uint8Array(this.memory.buffer, at, Math.min(end, this.used) - at).fill(0);
    this.top = end;
    this.used = Math.max(this.used, end);
    const entry = { at, end, free: false };
    this.regions.push(entry);
    const release = (): void => {
      entry.free = true;
      const rs = this.regions;
      while (rs.length > 0 && rs[rs.length - 1].free) rs.pop();
      this.top = rs.length > 0 ? rs[rs.length - 1].end : 0;
    };
    return { memory: this.memory, instance: this.instance, at, bytes, held: this.held, release };
  }
}

const arenas = new Map<WebAssembly.Module, Arena>();

/**
 * A zeroed region of `bytes` in a shared memory of `module`'s (the instance made with
 * `imports(memory)` when the memory is new), or null when it is too large to share.
 */
export function arenaRegion(
  module: WebAssembly.Module,
  imports: (memory: WebAssembly.Memory) => WebAssembly.Imports,
  bytes: number,
): ArenaRegion | null {
  if (bytes > ARENA_REGION_MAX) return null;
  const open = arenas.get(module);
  const r = open?.carve(bytes);
  if (r) return r;
  const fresh = new Arena(module, imports);
  arenas.set(module, fresh);
  return fresh.carve(bytes);
}
