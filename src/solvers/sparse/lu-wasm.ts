/**
 * The sparse LU's numeric kernels in WebAssembly (wasm/lu-kernels.ts, AssemblyScript, built by
 * scripts/build-wasm.cjs on `npm install`): refactorization with a fixed pivot sequence and the
 * triangular solves, the same operations in the same order as lu-refactor.ts and lu-solve.ts,
 * so the results are bit for bit the TypeScript kernels'. They run ~1.7-2x faster (raw loads,
 * no bounds checks; bench/lu-refactor.ts).
 *
 * `luKernel` is the one place that chooses between them: 'wasm' when the module loads (built,
 * and built from the current source), else 'ts'; GRIDBATCH_LU_KERNEL=ts|wasm forces one (wasm
 * throws with the reason when it cannot load), and LuOptions.kernel does so per factorization.
 * 'auto' makes no exception for the OPF's KKT systems: with their static pivoting (kkt-solver.ts,
 * a handful of fresh factorizations a solve) the case9241pegase AC OPF takes 6.25 s CPU on these
 * kernels and 7.35 s on the TypeScript ones (GRIDBATCH_LU=ts, bench/opf-ab.ts, medians of 3,
 * load 3.8-4.8). Before it, when the KKT LU re-pivoted every iteration of the barrier tail (each
 * time factored in TypeScript, then bound into a new memory: the spare pool's 64 MiB cap is
 * below those 5-6M-entry factors), the two were level (19.13 vs 19.10 s, same run).
 *
 * A WasmLuKernels owns one WebAssembly memory holding one LuNumeric's arrays: `bind` copies them
 * in after a factorization has fixed the patterns and makes the LuNumeric's fields views of that
 * memory, so the factors have one home that both kernels read.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root';
import { LuNumeric } from './lu-numeric';
import { ArenaRegion, LayoutHolder, arenaRegion } from './kernel-arena';

export type LuKernel = 'ts' | 'wasm';
export type LuKernelOption = LuKernel | 'auto';

interface KernelExports {
  setLayout(...offsets: number[]): void;
  refactor(tol: number): number;
  solve(b: number, x: number): void;
}

/** Where the module, its source and the source's hash at build time are (scripts/build-wasm.cjs). */
export interface KernelFiles {
  wasm: string;
  sha256: string;
  source: string;
}

export const KERNEL_FILES: KernelFiles = {
  wasm: join(PACKAGE_ROOT, 'wasm', 'build', 'lu-kernels.wasm'),
  sha256: join(PACKAGE_ROOT, 'wasm', 'build', 'lu-kernels.sha256'),
  source: join(PACKAGE_ROOT, 'wasm', 'lu-kernels.ts'),
};

/**
 * Compiles the kernels' module, or says in one line why not: missing, stale (built from another
 * version of the source, whose factors could differ), or not loadable by this runtime.
 */
export function readKernelModule(files: KernelFiles): { module: WebAssembly.Module | null; reason: string } {
  try {
    if (!existsSync(files.wasm)) throw new Error(`${files.wasm} is missing: run \`npm run build:wasm\``);
    if (existsSync(files.source)) {
      const hash = kernelSourceHash(files.source);
      const built = existsSync(files.sha256) ? readFileSync(files.sha256, 'utf8').trim() : '';
      if (built !== hash)
        throw new Error(`${files.wasm} is stale (built from another ${files.source}): run \`npm run build:wasm\``);
    }
    return { module: new WebAssembly.Module(readFileSync(files.wasm)), reason: '' };
  } catch (e) {
    return { module: null, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The hash a kernel's module is built from (scripts/build-wasm.cjs computes the same): sha256 of
 * its source followed by each file it imports from its own folder (`from './name'`), in order.
 */
export function kernelSourceHash(source: string): string {
  const text = readFileSync(source);
  const h = createHash('sha256').update(text);
  for (const m of text.toString('utf8').matchAll(/^import .* from '\.\/([\w-]+)';$/gm))
    h.update(readFileSync(join(dirname(source), `${m[1]}.ts`)));
  return h.digest('hex');
}

/** A kernel module, read and compiled on first use, once per process (or thread). */
export interface KernelLoader {
  /** the compiled module, or null */
  module(): WebAssembly.Module | null;
  /** why the module cannot load ('' when it can) */
  unavailableReason(): string;
}

export function kernelLoader(files: KernelFiles): KernelLoader {
  let loaded: { module: WebAssembly.Module | null; reason: string } | null = null;
  const load = () => (loaded ??= readKernelModule(files));
  return { module: () => load().module, unavailableReason: () => load().reason };
}

/** The kernel to run: the option, else the environment variable `env`, else wasm when `loader`'s module loads. */
export function chooseKernel(option: LuKernelOption, env: string, loader: KernelLoader): LuKernel {
  const want = option !== 'auto' ? option : (process.env[env] ?? 'auto');
  return pickKernel(want, want === 'ts' ? '' : loader.unavailableReason());
}

const luKernels = kernelLoader(KERNEL_FILES);

/** Why the WebAssembly kernels cannot load ('' when they can). */
export function wasmKernelUnavailableReason(): string {
  return luKernels.unavailableReason();
}

/** The kernel a factorization runs: the option, else GRIDBATCH_LU_KERNEL, else wasm when it loads. */
export function luKernel(option: LuKernelOption = 'auto'): LuKernel {
  return chooseKernel(option, 'GRIDBATCH_LU_KERNEL', luKernels);
}

/** The rule of luKernel: `want` (ts | wasm | auto) given why the module cannot load ('' when it can). */
export function pickKernel(want: string, unavailable: string): LuKernel {
  if (want === 'ts') return 'ts';
  if (want !== 'wasm' && want !== 'auto') throw new Error(`GRIDBATCH_LU_KERNEL must be ts, wasm or auto, got ${want}`);
  if (!unavailable) return 'wasm';
  if (want === 'wasm') throw new Error(`the WebAssembly LU kernels are unavailable (${unavailable})`);
  return 'ts';
}

/** Byte offsets of the arrays in the kernel memory, in setLayout's argument order. */
interface Layout {
  bytes: number;
  lp: number;
  li: number;
  lx: number;
  up: number;
  ui: number;
  ux: number;
  x: number;
  x2: number;
  aPtr: number;
  aRow: number;
  aMap: number;
  av: number;
  ax: number;
  uPair: number;
  uStep: number;
  pair: number;
  prow: number;
  q: number;
  work: number;
  b: number;
  out: number;
}

/** `L` with every array `base` bytes further into the memory. */
function shifted(L: Layout, base: number): Layout {
  const out = { ...L };
  for (const k of Object.keys(out) as (keyof Layout)[]) if (k !== 'bytes') out[k] += base;
  return out;
}

function layoutOf(st: LuNumeric): Layout {
  const n = st.n,
    lnz = st.Lp[n],
    unz = st.Up[n],
    anz = st.aMap.length;
  let at = 0;
  // every array 8-byte aligned
  const place = (len: number, bytesPer: number): number => {
    const o = at;
    at += Math.ceil((len * bytesPer) / 8) * 8;
    return o;
  };
  const l = {
    lp: place(n + 1, 4),
    li: place(lnz, 4),
    lx: place(lnz, 8),
    up: place(n + 1, 4),
    ui: place(unz, 4),
    ux: place(unz, 8),
    x: place(n, 8),
    x2: place(n, 8),
    aPtr: place(n + 1, 4),
    aRow: place(anz, 4),
    aMap: place(anz, 4),
    av: place(anz, 8),
    ax: place(anz, 8),
    uPair: place(n, 1),
    uStep: place(unz, 1),
    pair: place(n, 1),
    prow: place(n, 4),
    q: place(n, 4),
    work: place(n, 8),
    b: place(n, 8),
    out: place(n, 8),
  };
  return { ...l, bytes: at };
}

/**
 * An instance of the kernels with the memory a binding's arrays live in: a memory of its own
 * (base 0) or, for kept factors of at most ARENA_REGION_MAX bytes, a region of a shared one
 * (kernel-arena.ts).
 */
interface KernelMemory {
  memory: WebAssembly.Memory;
  instance: WebAssembly.Instance;
  /** byte offset of the binding's arrays */
  base: number;
  /** which binding the instance's layout globals hold */
  held: LayoutHolder;
  /** the shared memory's region, handed back there instead of into the spare pool */
  region: ArenaRegion | null;
}

function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  const abort = (): never => {
    throw new Error('the WebAssembly LU kernels aborted');
  };
  return { env: { memory, abort } };
}

/**
 * Memories of released factorizations (LuFactors.dispose: solvePfAc disposes its factors), at
 * most SPARE_MEMORIES holding at most SPARE_BYTES together (case9241pegase's Jacobian factors
 * take 7 MB): a fresh memory costs ~60 us to create and a page fault per 4 KiB written (bind of
 * case1354pegase's factors: 330 us fresh, loaded machine), a reused one neither.
 *
 * A memory is never grown: growing detaches its old buffer, and the first ArrayBuffer detached in
 * a process turns off V8's assumption that none ever is, after which every typed-array loop of
 * the process checks its array for detachment (case118 N-1 outage 48 -> 55 us, time-series PF
 * 34 -> 38 us, plain node, process CPU time). A factorization no spare fits gets a new memory.
 */
const spare: KernelMemory[] = [];
const SPARE_MEMORIES = 4;
const SPARE_BYTES = 64 * 2 ** 20;

/**
 * For kept factors (LuOptions.kept) a region of a shared memory when they fit one; else the
 * smallest spare memory of at least `bytes`, else a new memory.
 */
function takeKernelMemory(module: WebAssembly.Module, bytes: number, kept: boolean): KernelMemory {
  const region = kept ? arenaRegion(module, kernelImports, bytes) : null;
  if (region) return { memory: region.memory, instance: region.instance, base: region.at, held: region.held, region };
  const size = (i: number): number => spare[i].memory.buffer.byteLength;
  let fit = -1;
  for (let i = 0; i < spare.length; i++) if (size(i) >= bytes && (fit < 0 || size(i) < size(fit))) fit = i;
  if (fit >= 0) return spare.splice(fit, 1)[0];
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  return {
    memory,
    instance: new WebAssembly.Instance(module, kernelImports(memory)),
    base: 0,
    held: { owner: null },
    region: null,
  };
}

/** Memories waiting for a factorization in this thread (for tests). */
export function spareKernelMemories(): number {
  return spare.length;
}

function giveKernelMemory(k: KernelMemory): void {
  if (k.region) {
    k.region.release();
    return;
  }
  spare.push(k);
  // the smallest first; the largest go when there are too many or they hold too much
  spare.sort((x, y) => x.memory.buffer.byteLength - y.memory.buffer.byteLength);
  let bytes = spare.reduce((t, x) => t + x.memory.buffer.byteLength, 0);
  while (spare.length > SPARE_MEMORIES || (spare.length > 0 && bytes > SPARE_BYTES))
    bytes -= spare.pop()!.memory.buffer.byteLength;
}

/** The WebAssembly kernels bound to one LuNumeric (see the file comment). */
export class WasmLuKernels {
  private exports: KernelExports | null = null;
  private ax = new Float64Array(0);
  private b = new Float64Array(0);
  private out = new Float64Array(0);
  private layout: Layout | null = null;
  private kernel: KernelMemory | null = null;
  /** setLayout's arguments for this binding */
  private layoutArgs: number[] = [];

  /** `kept`: factors of a long-lived object (LuOptions.kept), bound in a shared memory's region */
  constructor(private readonly kept = false) {}

  /**
   * Copies st's factors and refactorization schedule (complete after a factorization) and q into
   * a new memory and makes st's arrays views of it. Call after every factorization with pivoting.
   * `withValues` false: L's and U's values are not copied (the caller computes them next with
   * `refactor`; L's diagonal is), so only the patterns cross.
   */
  bind(st: LuNumeric, q: Int32Array, withValues = true): void {
    const module = luKernels.module();
    if (!module) throw new Error(`the WebAssembly LU kernels are unavailable (${wasmKernelUnavailableReason()})`);
    const L0 = layoutOf(st);
    const kernel = takeKernelMemory(module, L0.bytes, this.kept);
    const L = shifted(L0, kernel.base);
    const buf = kernel.memory.buffer;
    const n = st.n,
      lnz = st.Lp[n],
      unz = st.Up[n],
      anz = st.aMap.length;
    const i32 = (o: number, a: Int32Array, len: number): Int32Array => {
      const v = new Int32Array(buf, o, len);
      v.set(a.subarray(0, len));
      return v;
    };
    const u8 = (o: number, a: Uint8Array, len: number): Uint8Array => {
      const v = new Uint8Array(buf, o, len);
      v.set(a.subarray(0, len));
      return v;
    };
    const f64 = (o: number, a: Float64Array, len: number): Float64Array => {
      const v = new Float64Array(buf, o, len);
      v.set(a.subarray(0, len));
      return v;
    };
    st.Lp = i32(L.lp, st.Lp, n + 1);
    st.Li = i32(L.li, st.Li, lnz);
    if (withValues) st.Lx = f64(L.lx, st.Lx, lnz);
    else {
      const v = new Float64Array(buf, L.lx, lnz);
      const Lp = st.Lp,
        Lx = st.Lx;
      for (let k = 0; k < n; k++) v[Lp[k]] = Lx[Lp[k]];
      st.Lx = v;
    }
    st.Up = i32(L.up, st.Up, n + 1);
    st.Ui = i32(L.ui, st.Ui, unz);
    st.Ux = withValues ? f64(L.ux, st.Ux, unz) : new Float64Array(buf, L.ux, unz);
    st.aPtr = i32(L.aPtr, st.aPtr, n + 1);
    st.aRow = i32(L.aRow, st.aRow, anz);
    st.aMap = i32(L.aMap, st.aMap, anz);
    st.uPair = u8(L.uPair, st.uPair, n);
    st.uStep = u8(L.uStep, st.uStep, unz);
    st.pair = u8(L.pair, st.pair, n);
    st.prow = i32(L.prow, st.prow, n);
    i32(L.q, q, n);
    this.ax = new Float64Array(buf, L.ax, anz);
    this.b = new Float64Array(buf, L.b, n);
    this.out = new Float64Array(buf, L.out, n);
    // the kernels keep x and x2 zero between calls; a reused memory held other arrays there
    new Float64Array(buf, L.x, 2 * n).fill(0);
    const ex = kernel.instance.exports as unknown as KernelExports;
    this.layoutArgs = [
      n,
      anz,
      L.lp,
      L.li,
      L.lx,
      L.up,
      L.ui,
      L.ux,
      L.x,
      L.x2,
      L.aPtr,
      L.aRow,
      L.aMap,
      L.av,
      L.ax,
      L.uPair,
      L.uStep,
      L.pair,
      L.prow,
      L.q,
      L.work,
    ];
    ex.setLayout(...this.layoutArgs);
    kernel.held.owner = this;
    this.exports = ex;
    this.layout = L;
    // the arrays were copied out of the last binding's memory: it can serve another factorization
    if (this.kernel) giveKernelMemory(this.kernel);
    this.kernel = kernel;
  }

  /**
   * Hands the memory to the next factorization in this thread (LuFactors.dispose): the LuNumeric
   * bound to it must not be used afterwards.
   */
  release(): void {
    if (this.kernel) giveKernelMemory(this.kernel);
    this.kernel = null;
    this.exports = null;
  }

  /** refactorNumeric (lu-refactor.ts) on the bound LuNumeric: false when a pivot fails the threshold test. */
  refactor(Ax: Float64Array, tol: number): boolean {
    const ex = this.bound();
    this.ax.set(Ax.length === this.ax.length ? Ax : Ax.subarray(0, this.ax.length));
    return ex.refactor(tol) === 1;
  }

  /** luSolveInto (lu-solve.ts) on the bound LuNumeric; x (length n) must not alias b. */
  solve(b: Float64Array, x: Float64Array): void {
    const ex = this.bound();
    const L = this.layout!;
    this.b.set(b);
    ex.solve(L.b, L.out);
    x.set(this.out);
  }

  /** The exports, with this binding's layout in the instance's globals (another may share it). */
  private bound(): KernelExports {
    if (!this.exports) throw new Error('WasmLuKernels: bind a factorization first');
    const held = this.kernel!.held;
    if (held.owner !== this) {
      this.exports.setLayout(...this.layoutArgs);
      held.owner = this;
    }
    return this.exports;
  }
}
