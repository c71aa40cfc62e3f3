/**
 * The Newton power flow's evaluation of its equations in WebAssembly (wasm/newton-kernels.ts,
 * AssemblyScript, built by scripts/build-wasm.cjs with the LU kernels): fused-evaluation.ts's
 * injectionsAndMismatch with its row pass (I = Ybus V, S, F, ||F||_inf) in the kernel and
 * V = Vm e^{j Va} in TypeScript before it, the same operations in the same order, so every value
 * is bit for bit the TypeScript kernel's (tests/solvers/newton-wasm.test.ts). On case118 one
 * evaluation takes ~2.9 instead of ~4.4 us, on case1354pegase ~30 instead of ~50 us (the row pass
 * alone 2.0-2.5x faster; loops alone, process CPU time).
 *
 * A prepared solver's Newton workspace keeps its vectors (V, I, S, Sbus, F, ...) in one WebAssembly
 * memory of its own (`NewtonKernels.alloc` hands them out as views, so the TypeScript code around
 * the kernel reads and writes them as before) together with copies of Ybus's pattern and, per
 * solve, of its values. The Jacobian fill runs there too (`fillJacobian`: ac-jacobian.ts's
 * fillJacobian line for line, bit for bit, for solves without buses held fixed): `bind` moves the
 * Jacobian's values and its map from Ybus entries into the memory, so the LU reads the values
 * where the kernel writes them. A fill takes 1.5 instead of 3.1 us on case118, 16 instead of 32 us
 * on case1354pegase (fills alone, plain node, process CPU time, load 3.8; an earlier port had
 * measured 2.1 vs 1.6 us on case118, under what conditions is not recorded). So do pfsoln's
 * branch flows of a prepared solver (`branchFlows`, from the two-port admittances held once, the
 * in-service flags per solve): 2.0 instead of 2.9 us on case118, 20 instead of 35 us on
 * case1354pegase, copies in and out included (same conditions, load 5.7).
 *
 * `newtonKernel` chooses: 'wasm' when the module loads (built from the
 * current source), else 'ts'; GRIDBATCH_NEWTON_KERNEL=ts|wasm forces one (wasm throws when it
 * cannot load). One-shot (cold) solves keep the TypeScript evaluation: a memory of their own would
 * cost more than the few evaluations they make.
 */
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { KernelFiles, LuKernel, chooseKernel, kernelLoader } from './sparse/lu-wasm';
import type { ArrayAlloc } from './scratch-slab';
import { rowPositions } from './bus-injections';
import type { ZCsc, ZVec } from './sparse/zcsc';
import type { JacobianPattern } from './ac-jacobian';
import type { BranchAdmittances } from './makeYbus';
import { LayoutHolder, arenaRegion } from './sparse/kernel-arena';

function newtonImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  const abort = (): never => {
    throw new Error('the WebAssembly Newton kernels aborted');
  };
  return { env: { memory, abort } };
}

export type NewtonKernel = LuKernel;

export const NEWTON_KERNEL_FILES: KernelFiles = {
  wasm: join(PACKAGE_ROOT, 'wasm', 'build', 'newton-kernels.wasm'),
  sha256: join(PACKAGE_ROOT, 'wasm', 'build', 'newton-kernels.sha256'),
  source: join(PACKAGE_ROOT, 'wasm', 'newton-kernels.ts'),
};

const newtonKernels = kernelLoader(NEWTON_KERNEL_FILES);

/** Why the WebAssembly Newton kernels cannot load ('' when they can). */
export function newtonKernelUnavailableReason(): string {
  return newtonKernels.unavailableReason();
}

/** The kernels a new Newton workspace runs: the option, else GRIDBATCH_NEWTON_KERNEL, else wasm when it loads. */
export function newtonKernel(option: NewtonKernel | 'auto' = 'auto'): NewtonKernel {
  return chooseKernel(option, 'GRIDBATCH_NEWTON_KERNEL', newtonKernels);
}

interface Exports {
  setLayout(...args: number[]): void;
  injections(withFixed: number): number;
  setJacobianLayout(vm: number, to: number, room: number): void;
  jacobian(): void;
  setBranchLayout(nl: number, f: number, t: number, on: number, adm: number, flows: number): void;
  branchFlows(baseMVA: number): void;
}

/** The workspace's arrays the kernel reads or writes, views of its memory (newtonpf.ts's NewtonPfWorkspace). */
export interface BoundArrays {
  Vm: Float64Array;
  Va: Float64Array;
  V: ZVec;
  I: ZVec;
  S: ZVec;
  Sbus: ZVec;
  F: Float64Array;
  fp: Int32Array;
  fq: Int32Array;
}

/**
 * Bytes of a workspace's vectors (newtonpf.ts: 2 nx + 10 nb doubles and 2 nb positions), of
 * the kernel's copies (Ybus's pattern, row positions and values; the fixed-bus flags) and of the
 * Jacobian's map (4 ny positions) and values (nnz(J) + 1), each 8-byte aligned.
 */
function arenaBytes(nb: number, ny: number, nx: number, nzJ: number, nl: number): number {
  const i32 = (n: number) => Math.ceil((4 * n) / 8) * 8;
  const vectors = 8 * (2 * nx + 10 * nb) + i32(2 * nb);
  const own = i32(nb + 1) + 2 * i32(ny) + 16 * ny + Math.ceil(nb / 8) * 8;
  // the branches' buses, flags, two-port admittances and flows
  const branches = 2 * i32(nl) + Math.ceil(nl / 8) * 8 + 8 * 12 * nl;
  return vectors + own + i32(4 * ny) + 8 * (nzJ + 1) + branches;
}

/** The WebAssembly kernels of one Newton workspace, with the memory its arrays live in. */
export class NewtonKernels {
  readonly alloc: ArrayAlloc;
  private readonly memory: WebAssembly.Memory;
  private readonly ex: Exports;
  /** which workspace's layout the instance's globals hold (shared memories: several) */
  private readonly held: LayoutHolder;
  /** the layout calls' arguments, replayed when the instance held another workspace's */
  private readonly layouts: { main: number[]; jacobian: number[]; branch: number[] | null } = {
    main: [],
    jacobian: [],
    branch: null,
  };
  private at = 0;
  /** Ybus pattern the kernels' copy was made from, and the matrix whose values they hold */
  private colPtr: Int32Array | null = null;
  private rowIdx: Int32Array | null = null;
  private valuesOf: ZCsc | null = null;
  private yr: Float64Array = new Float64Array(0);
  private ym: Float64Array = new Float64Array(0);
  private fixed: Uint8Array = new Uint8Array(0);
  private sbus: ZVec | null = null;
  private vm: Float64Array = new Float64Array(0);
  private va: Float64Array = new Float64Array(0);
  private v: ZVec | null = null;
  /** branch rows the memory has room for (branchFlows), and what their arrays hold */
  private nl = 0;
  private branchesOf: { adm: BranchAdmittances; f: Int32Array; t: Int32Array } | null = null;
  private on: Uint8Array = new Uint8Array(0);
  private flows: { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array } | null = null;

  private constructor(module: WebAssembly.Module, bytes: number) {
    // a region of a shared memory (kernel-arena.ts) unless the arrays are too large to share
    const region = arenaRegion(module, newtonImports, bytes);
    if (region) {
      this.memory = region.memory;
      this.held = region.held;
      this.at = region.at;
      this.ex = region.instance.exports as unknown as Exports;
    } else {
      this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
      this.held = { owner: null };
      this.ex = new WebAssembly.Instance(module, newtonImports(this.memory)).exports as unknown as Exports;
    }
    const end = this.at + bytes;
    const carve = (bytes: number): number => {
      const o = this.at;
      this.at += Math.ceil(bytes / 8) * 8;
      if (this.at > end) throw new RangeError('NewtonKernels: arena too small');
      return o;
    };
    this.alloc = {
      f64: (n) => new Float64Array(this.memory.buffer, carve(8 * n), n),
      i32: (n) => new Int32Array(this.memory.buffer, carve(4 * n), n),
      u8: (n) => new Uint8Array(this.memory.buffer, carve(n), n),
    };
  }

  /**
   * Kernels with room for a workspace on Ybus's pattern, or null when the module does not load or
   * Ybus has no row positions (bus-injections.ts: evaluated by the column pass in TypeScript).
   */
  static create(Ybus: ZCsc, pattern: JacobianPattern, branches = 0): NewtonKernels | null {
    const module = newtonKernels.module();
    if (!module || !rowPositions(Ybus)) return null;
    const J = pattern.J;
    const k = new NewtonKernels(module, arenaBytes(Ybus.n, Ybus.colPtr[Ybus.n], J.n, J.colPtr[J.n], branches));
    k.nl = branches;
    return k;
  }

  /**
   * Lays out the workspace's arrays (all from `alloc`), Ybus's pattern and the Jacobian's map for
   * the kernels, and moves the Jacobian's values into the memory (`pattern.room` and
   * `pattern.J.values` become views of it); call once, after the workspace's arrays were made.
   */
  bind(Ybus: ZCsc, w: BoundArrays, pattern: JacobianPattern): void {
    const nb = Ybus.n,
      ny = Ybus.colPtr[nb];
    const copy = (a: Int32Array): Int32Array => {
      const v = this.alloc.i32(a.length);
      v.set(a);
      return v;
    };
    const yp = copy(Ybus.colPtr.subarray(0, nb + 1)),
      yi = copy(Ybus.rowIdx.subarray(0, ny)),
      tpos = copy(rowPositions(Ybus) as Int32Array);
    this.yr = this.alloc.f64(ny);
    this.ym = this.alloc.f64(ny);
    this.fixed = this.alloc.u8(nb);
    this.colPtr = Ybus.colPtr;
    this.rowIdx = Ybus.rowIdx;
    this.sbus = w.Sbus;
    this.vm = w.Vm;
    this.va = w.Va;
    this.v = w.V;
    const o = (a: { byteOffset: number; buffer: ArrayBufferLike }): number => {
      if (a.buffer !== this.memory.buffer) throw new RangeError('NewtonKernels.bind: an array is not in the memory');
      return a.byteOffset;
    };
    this.layouts.main = [
      nb,
      o(yp),
      o(yi),
      o(tpos),
      o(this.yr),
      o(this.ym),
      o(w.V.re),
      o(w.V.im),
      o(w.I.re),
      o(w.I.im),
      o(w.S.re),
      o(w.S.im),
      o(w.Sbus.re),
      o(w.Sbus.im),
      o(w.fp),
      o(w.fq),
      o(w.F),
      o(this.fixed),
    ];
    const to = copy(pattern.to);
    const room = this.alloc.f64(pattern.room.length);
    room.set(pattern.room);
    pattern.room = room;
    pattern.J.values = room.subarray(0, pattern.J.colPtr[pattern.J.n]);
    this.layouts.jacobian = [o(w.Vm), o(to), o(room)];
    this.held.owner = null;
    this.use();
  }

  /** The exports, with this workspace's layout in the instance's globals (another may share it). */
  private use(): Exports {
    if (this.held.owner !== this) {
      const l = this.layouts;
      this.ex.setLayout(...l.main);
      this.ex.setJacobianLayout(...(l.jacobian as [number, number, number]));
      if (l.branch) this.ex.setBranchLayout(...(l.branch as [number, number, number, number, number, number]));
      this.held.owner = this;
    }
    return this.ex;
  }

  /**
   * Whether the kernels can run on `Ybus` (the pattern they were bound to); its values are copied
   * in when they are not the ones held (see `forgetValues`).
   */
  ready(Ybus: ZCsc): boolean {
    if (Ybus.rowIdx !== this.rowIdx || Ybus.colPtr !== this.colPtr) return false;
    if (this.valuesOf !== Ybus) {
      this.yr.set(Ybus.re.length === this.yr.length ? Ybus.re : Ybus.re.subarray(0, this.yr.length));
      this.ym.set(Ybus.im.length === this.ym.length ? Ybus.im : Ybus.im.subarray(0, this.ym.length));
      this.valuesOf = Ybus;
    }
    return true;
  }

  /** The next `ready` copies Ybus's values again (a solve starts: they may have changed in place). */
  forgetValues(): void {
    this.valuesOf = null;
  }

  /**
   * fillJacobian (ac-jacobian.ts) without fixed buses into the bound Jacobian, at the workspace's
   * V, Vm and S; `ready(Ybus)` first.
   */
  fillJacobian(): void {
    this.use().jacobian();
  }

  /**
   * pfsoln.ts's branch flows (MW / MVAr, the same numbers bit for bit) at the workspace's V into
   * `out`, for branches `f` -> `t` with two-port admittances `adm` (ybus-assembly.ts: the values
   * Yf and Yt hold, no branch from a bus to itself), those of `branchOn` in service; false when
   * the memory has no room for them (a workspace made without `branches`).
   */
  branchFlows(
    adm: BranchAdmittances,
    f: Int32Array,
    t: Int32Array,
    branchOn: Uint8Array,
    baseMVA: number,
    out: { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array },
  ): boolean {
    const nl = this.nl;
    if (nl === 0 || f.length !== nl || branchOn.length !== nl) return false;
    const held = this.branchesOf;
    if (!held || held.adm !== adm || held.f !== f || held.t !== t) this.holdBranches(adm, f, t);
    this.on.set(branchOn);
    this.use().branchFlows(baseMVA);
    const fl = this.flows!;
    out.pf.set(fl.pf);
    out.qf.set(fl.qf);
    out.pt.set(fl.pt);
    out.qt.set(fl.qt);
    return true;
  }

  /** `branchFlows` for the branches of `status` (pfsoln's flowsInto). */
  flowsInto(
    adm: BranchAdmittances,
    status: { f: Int32Array; t: Int32Array; branchOn: Uint8Array },
    baseMVA: number,
  ): (out: { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array }) => boolean {
    const { f, t, branchOn } = status;
    return (out) => this.branchFlows(adm, f, t, branchOn, baseMVA, out);
  }

  /** Copies the branches' buses and admittances in (the first time: with room for the flags and flows). */
  private holdBranches(adm: BranchAdmittances, f: Int32Array, t: Int32Array): void {
    const nl = this.nl;
    if (!this.branchesOf) {
      const fb = this.alloc.i32(nl),
        tb = this.alloc.i32(nl);
      this.on = this.alloc.u8(nl);
      const a = this.alloc.f64(8 * nl);
      const fl = this.alloc.f64(4 * nl);
      this.flows = {
        pf: fl.subarray(0, nl),
        qf: fl.subarray(nl, 2 * nl),
        pt: fl.subarray(2 * nl, 3 * nl),
        qt: fl.subarray(3 * nl, 4 * nl),
      };
      this.admArrays = { fb, tb, a };
      this.layouts.branch = [nl, fb.byteOffset, tb.byteOffset, this.on.byteOffset, a.byteOffset, fl.byteOffset];
      this.held.owner = null;
    }
    const { fb, tb, a } = this.admArrays!;
    fb.set(f);
    tb.set(t);
    // per branch the from / to ends side by side (the kernel's vector lanes): [Yff, Ytf] real and
    // imaginary parts, then [Yft, Ytt]; the values Yf and Yt hold (0 + the admittance), added
    // here once instead of per flow
    const { Yff, Yft, Ytf, Ytt } = adm;
    for (let l = 0, o = 0; l < nl; l++, o += 8) {
      a[o] = 0 + Yff.re[l];
      a[o + 1] = 0 + Ytf.re[l];
      a[o + 2] = 0 + Yff.im[l];
      a[o + 3] = 0 + Ytf.im[l];
      a[o + 4] = 0 + Yft.re[l];
      a[o + 5] = 0 + Ytt.re[l];
      a[o + 6] = 0 + Yft.im[l];
      a[o + 7] = 0 + Ytt.im[l];
    }
    this.branchesOf = { adm, f, t };
  }

  private admArrays: { fb: Int32Array; tb: Int32Array; a: Float64Array } | null = null;

  /**
   * evaluateAt (newtonpf.ts) on the workspace's arrays: V = Vm e^{j Va} as fused-evaluation.ts
   * computes it, then the kernel's row pass; `ready(Ybus)` first.
   */
  evaluate(Sbus: ZVec, fixed: Uint8Array | undefined): number {
    const own = this.sbus!;
    if (Sbus.re !== own.re) own.re.set(Sbus.re);
    if (Sbus.im !== own.im) own.im.set(Sbus.im);
    if (fixed !== undefined) this.fixed.set(fixed);
    const Vm = this.vm,
      Va = this.va,
      Vr = this.v!.re,
      Vi = this.v!.im;
    for (let i = 0, n = Vm.length; i < n; i++) {
      Vr[i] = Vm[i] * Math.cos(Va[i]);
      Vi[i] = Vm[i] * Math.sin(Va[i]);
    }
    return this.use().injections(fixed !== undefined ? 1 : 0);
  }
}
