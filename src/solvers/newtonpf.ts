/**
 * Newton-Raphson power flow in polar coordinates on the power mismatch, as MATPOWER's
 * newtonpf: unknowns x = [Va(pv); Va(pq); Vm(pq)], equations
 * F(x) = [Re(mis(pv; pq)); Im(mis(pq))] with mis = V .* conj(Ybus V) - Sbus,
 * converged when ||F||_inf < tol; the iteration count is the number of Newton steps taken
 * (0 when the start point already meets the tolerance).
 *
 * The Jacobian pattern and the sparse LU (ordering, then pivot sequence) live in a
 * workspace that can be kept across solves with the same Ybus pattern and bus types.
 */
import { fillJacobian, jacobianPattern, JacobianPattern } from './ac-jacobian';
import { SingularMatrixError } from './sparse/lu';
import { defaultLuBackend, LuBackend, SparseLu, sparseLu } from './sparse/lu-backend';
import { kluFactor } from './sparse/klu-native';
import { jacobianOrder } from './jacobian-order';
import { libamdOrder } from './sparse/klu-block-order';
import type { Csc } from './sparse/csc';
import { ZCsc, ZVec, zcscMulVec } from './sparse/zcsc';
import { checkStop } from './stop';
import { busInjectionsByRows, rowPositions } from './bus-injections';
import { chordTailStep, chordTailWorth } from './newton-chord-tail';
import { injectionsAndMismatch, MismatchRows, mismatchRows } from './fused-evaluation';
import { ArrayAlloc, ownArrays } from './scratch-slab';
import { NewtonKernel, NewtonKernels, newtonKernel } from './newton-wasm';

export interface NewtonPfOptions {
  /** Tolerance on the infinity norm of the mismatch (p.u.); MATPOWER default 1e-8. */
  tol: number;
  /** Maximum number of Newton steps; MATPOWER default 10. */
  maxIt: number;
  /** Sparse LU backend (default 'auto': native KLU when installed, else TypeScript). */
  luBackend?: LuBackend;
  /**
   * Buses held fixed (cut off by an outage): their Jacobian rows and columns become identity
   * and their mismatch 0, so they stay in pv / pq and the Jacobian keeps its pattern.
   */
  fixed?: Uint8Array;
  /**
   * Warm solves: a step whose ||F||_inf is already small is first tried on the factors of the
   * previous step (a chord step, no Jacobian fill or refactorization), kept only when it meets
   * tol (it ends the solve and counts as the iteration it replaces), else undone (see
   * newton-chord-tail.ts).
   */
  chordTail?: boolean;
}

/**
 * The result's arrays (V, S, Vm, Va) are the workspace's: they hold until the workspace's next
 * solve, so a caller copies what it keeps (a Newton iteration allocates nothing).
 */
export interface NewtonPfResult {
  /** Complex bus voltages at the last iterate (all buses; buses outside pv/pq/ref untouched). */
  V: ZVec;
  /** Bus injections V .* conj(Ybus V) at the last iterate (p.u.). */
  S: ZVec;
  Vm: Float64Array;
  Va: Float64Array;
  converged: boolean;
  iterations: number;
  /** ||F||_inf at the last iterate (p.u.); NaN when it could not be evaluated. */
  normF: number;
  /** Why Newton stopped early (singular Jacobian, non-finite values); null otherwise. */
  failure: string | null;
  /** Of `iterations`, steps taken on the previous step's factors (opts.chordTail); 0 when absent. */
  chordSteps?: number;
}

/** Reusable state for one (Ybus pattern, pv, pq) combination. */
export interface NewtonPfWorkspace {
  readonly pv: Int32Array;
  readonly pq: Int32Array;
  readonly pattern: JacobianPattern;
  /** Factors of the last Jacobian (pivot order reused by the next refactorization). */
  lu: SparseLu | null;
  /** Scratch vectors sized for the problem (I = Ybus V per bus). */
  readonly F: Float64Array;
  readonly dx: Float64Array;
  readonly I: ZVec;
  /** The iterate (per bus) and its injections: the arrays a result hands back. */
  readonly Vm: Float64Array;
  readonly Va: Float64Array;
  readonly V: ZVec;
  readonly S: ZVec;
  /** Room for the caller's specified injections Sbus (newtonpf only reads its argument). */
  readonly Sbus: ZVec;
  /** Each bus's positions in F (fused-evaluation.ts). */
  readonly rows: MismatchRows;
  /** The WebAssembly kernels whose memory holds these arrays (newton-wasm.ts); null: TypeScript. */
  readonly kernels: NewtonKernels | null;
  /**
   * The arrays are the workspace's own (a prepared solver keeps it), not a one-shot solve's slab
   * views: its LU factors are kept too (LuOptions.kept), never disposed after one solve.
   */
  readonly kept: boolean;
}

/**
 * `alloc`: slab views for a one-shot solve's workspace (scratch-slab.ts), else buffers of its own;
 * with the WebAssembly kernels (`kernel`, default: newtonKernel's choice for a kept workspace, the
 * TypeScript ones for slab views), views of the kernels' memory; `branches`: room in that memory
 * for the branch flows of that many branch rows (NewtonKernels.branchFlows).
 */
export function newtonpfWorkspace(
  Ybus: ZCsc,
  pv: Int32Array,
  pq: Int32Array,
  alloc: ArrayAlloc = ownArrays,
  kernel: NewtonKernel | 'auto' = alloc === ownArrays ? 'auto' : 'ts',
  branches = 0,
): NewtonPfWorkspace {
  const kept = alloc === ownArrays;
  const pattern = jacobianPattern(Ybus, pv, pq, alloc);
  const nx = pattern.J.n;
  const nb = Ybus.n;
  // the vectors in the kernels' memory (newton-wasm.ts) when they run
  const kernels = newtonKernel(kernel) === 'wasm' ? NewtonKernels.create(Ybus, pattern, branches) : null;
  if (kernels) alloc = kernels.alloc;
  // the twelve vectors carved out of one array
  const buf = alloc.f64(2 * nx + 10 * nb);
  const at = (k: number) => buf.subarray(2 * nx + k * nb, 2 * nx + (k + 1) * nb);
  const ws: NewtonPfWorkspace = {
    pv,
    pq,
    pattern,
    lu: null,
    F: buf.subarray(0, nx),
    dx: buf.subarray(nx, 2 * nx),
    I: { re: at(0), im: at(1) },
    Vm: at(2),
    Va: at(3),
    V: { re: at(4), im: at(5) },
    S: { re: at(6), im: at(7) },
    Sbus: { re: at(8), im: at(9) },
    rows: mismatchRows(nb, pv, pq, alloc),
    kernels,
    kept,
  };
  if (kernels) kernels.bind(Ybus, { ...ws, ...ws.rows }, pattern);
  return ws;
}

/**
 * fillJacobian (ac-jacobian.ts) into ws.pattern at the workspace's point (V, Vm and S current for
 * Ybus): in the WebAssembly kernels when they hold Ybus and no bus is held fixed, the same values.
 */
export function fillWorkspaceJacobian(Ybus: ZCsc, ws: NewtonPfWorkspace, fixed?: Uint8Array): void {
  if (fixed === undefined && ws.kernels?.ready(Ybus)) ws.kernels.fillJacobian();
  else fillJacobian(ws.pattern, Ybus, ws.V, ws.Vm, ws.S, fixed);
}

/**
 * V, I = Ybus V, S and F at ws.Vm / ws.Va (radians) for the specified injections Sbus; returns
 * ||F||_inf (NaN if not finite): polarToRect, busInjections and mismatch, fused into two passes
 * where Ybus's row positions are kept (fused-evaluation.ts, the same numbers bit for bit).
 */
export function evaluateAt(Ybus: ZCsc, Sbus: ZVec, ws: NewtonPfWorkspace, fixed?: Uint8Array): number {
  if (ws.kernels?.ready(Ybus)) return ws.kernels.evaluate(Sbus, fixed);
  const tpos = rowPositions(Ybus);
  if (tpos) return injectionsAndMismatch(Ybus, tpos, ws.Vm, ws.Va, ws.V, ws.I, ws.S, Sbus, ws.rows, ws.F, fixed);
  polarToRect(ws.Vm, ws.Va, ws.V);
  busInjections(Ybus, ws.V, ws.I, ws.S);
  return mismatch(ws.S, Sbus, ws.pv, ws.pq, ws.F, fixed);
}

/** S = V .* conj(Ybus V), written into S; I receives Ybus V. */
export function busInjections(Ybus: ZCsc, V: ZVec, I: ZVec, S: ZVec): void {
  const tpos = rowPositions(Ybus);
  if (tpos) {
    busInjectionsByRows(Ybus, tpos, V, I, S);
    return;
  }
  zcscMulVec(Ybus, V, I);
  const n = V.re.length;
  for (let i = 0; i < n; i++) {
    const vr = V.re[i],
      vi = V.im[i],
      ir = I.re[i],
      ii = I.im[i];
    S.re[i] = vr * ir + vi * ii;
    S.im[i] = vi * ir - vr * ii;
  }
}

/**
 * MATPOWER's newtonpf update from the step dx = J^-1 F: Va(pv) -= dx(pv), Va(pq) -= dx(pq),
 * Vm(pq) -= dx(Vm part); a magnitude driven below zero is reflected (|V| > 0, angle + pi), the
 * same complex voltage V = Vm e^{j Va}.
 */
export function applyNewtonStep(
  Vm: Float64Array,
  Va: Float64Array,
  pv: Int32Array,
  pq: Int32Array,
  dx: Float64Array,
): void {
  const npv = pv.length,
    npq = pq.length;
  for (let c = 0; c < npv; c++) Va[pv[c]] -= dx[c];
  for (let c = 0; c < npq; c++) {
    const b = pq[c];
    Va[b] -= dx[npv + c];
    Vm[b] -= dx[npv + npq + c];
    if (Vm[b] < 0) {
      Vm[b] = -Vm[b];
      Va[b] += Math.PI;
    }
  }
}

/** F = [Re(S - Sbus)(pv; pq); Im(S - Sbus)(pq)]; returns ||F||_inf (NaN if any entry is NaN). */
export function mismatch(
  S: ZVec,
  Sbus: ZVec,
  pv: Int32Array,
  pq: Int32Array,
  F: Float64Array,
  fixed?: Uint8Array,
): number {
  const npv = pv.length,
    npq = pq.length;
  let norm = 0;
  let bad = false;
  for (let c = 0; c < npv; c++) {
    const b = pv[c];
    if (fixed && fixed[b]) {
      F[c] = 0;
      continue;
    }
    const f = S.re[b] - Sbus.re[b];
    F[c] = f;
    const a = Math.abs(f);
    if (a > norm) norm = a;
    else if (a !== a) bad = true;
  }
  for (let c = 0; c < npq; c++) {
    const b = pq[c];
    if (fixed && fixed[b]) {
      F[npv + c] = 0;
      F[npv + npq + c] = 0;
      continue;
    }
    const fp = S.re[b] - Sbus.re[b];
    const fq = S.im[b] - Sbus.im[b];
    F[npv + c] = fp;
    F[npv + npq + c] = fq;
    const a = Math.abs(fp),
      q = Math.abs(fq);
    if (a > norm) norm = a;
    else if (a !== a) bad = true;
    if (q > norm) norm = q;
    else if (q !== q) bad = true;
  }
  return bad || !Number.isFinite(norm) ? NaN : norm;
}

export function polarToRect(Vm: Float64Array, Va: Float64Array, V: ZVec): void {
  for (let i = 0; i < Vm.length; i++) {
    V.re[i] = Vm[i] * Math.cos(Va[i]);
    V.im[i] = Vm[i] * Math.sin(Va[i]);
  }
}

/**
 * Solves the power flow from the start point (Vm0, Va0 in radians; they may be the
 * workspace's own Vm / Va). `ws` (from `newtonpfWorkspace` with the same pv / pq) is reused
 * and updated when given; the result's arrays are the workspace's.
 */
export function newtonpf(
  Ybus: ZCsc,
  Sbus: ZVec,
  Vm0: Float64Array,
  Va0: Float64Array,
  pv: Int32Array,
  pq: Int32Array,
  opts: NewtonPfOptions,
  ws?: NewtonPfWorkspace,
): NewtonPfResult {
  const nb = Ybus.n;
  const w = ws ?? newtonpfWorkspace(Ybus, pv, pq);
  if (w.pv !== pv || w.pq !== pq) {
    if (!sameIdx(w.pv, pv) || !sameIdx(w.pq, pq))
      throw new RangeError('newtonpf: workspace built for other pv/pq sets');
  }
  const { pattern, F, dx } = w;
  if (w.I.re.length !== nb) throw new RangeError('newtonpf: workspace built for another number of buses');
  const npv = pv.length,
    npq = pq.length;
  const { Vm, Va, V, I, S } = w;
  if (Vm0 !== Vm) Vm.set(Vm0);
  if (Va0 !== Va) Va.set(Va0);
  // Ybus's values may have changed in place since the last solve
  w.kernels?.forgetValues();
  let normF = evaluateAt(Ybus, Sbus, w, opts.fixed);
  let converged = normF < opts.tol;
  let failure: string | null = Number.isNaN(normF) ? 'mismatch is not finite at the start point' : null;
  let it = 0;
  let chords = 0;
  while (!converged && failure === null && it < opts.maxIt) {
    checkStop();
    it++;
    // from the second step on, w.lu holds this solve's previous Jacobian
    if (opts.chordTail && it > 1 && w.lu && chordTailWorth(normF, opts.tol)) {
      const n = chordTailStep(Ybus, Sbus, w, opts.tol, opts.fixed);
      if (n < opts.tol) {
        normF = n;
        converged = true;
        chords++;
        break;
      }
    }
    fillWorkspaceJacobian(Ybus, w, opts.fixed);
    const J = pattern.J;
    try {
      if (w.lu) w.lu.refactor(J);
      else w.lu = jacobianLu(J, opts.luBackend, Ybus, pv, pq, w.kept);
    } catch (e) {
      if (!(e instanceof SingularMatrixError)) throw e;
      w.lu?.dispose();
      w.lu = null;
      failure = `Jacobian is singular at iteration ${it} (${e.message})`;
      break;
    }
    w.lu.solve(F, dx);
    applyNewtonStep(Vm, Va, pv, pq, dx);
    normF = evaluateAt(Ybus, Sbus, w, opts.fixed);
    if (Number.isNaN(normF)) failure = `mismatch is not finite at iteration ${it}`;
    converged = normF < opts.tol;
  }
  return { V, S, Vm, Va, converged, iterations: it, normF, failure, chordSteps: chords };
}

/**
 * The Jacobian's LU, both backends on the bus-graph AMD order (jacobian-order.ts: AMD on the
 * Ybus graph of the pv / pq buses, no search of J for identical columns): KLU (libamd's AMD,
 * klu_analyze_given; analysis 4.2 -> 2.7 ms on case9241pegase, refactorizations within 1%;
 * KLU's own klu_analyze when libamd is missing) without row scaling (as lightsim2grid runs it;
 * the Jacobian's rows are power mismatches of one scale, and refactorizing is ~12% faster) and
 * without BTF (a connected network's Jacobian is one block), else the TypeScript LU (amd.ts).
 */
export function jacobianLu(
  J: Csc,
  backend: LuBackend | undefined,
  Ybus: ZCsc,
  pv: Int32Array,
  pq: Int32Array,
  kept: boolean,
): SparseLu {
  const b = !backend || backend === 'auto' ? defaultLuBackend() : backend;
  if (b === 'klu') {
    const amd = libamdOrder();
    // room for L and U of twice nnz(J) each (KLU's default 10 maps ~33 MB on case9241pegase)
    return kluFactor(J, {
      scale: 0,
      btf: false,
      order: amd ? jacobianOrder(Ybus, pv, pq, amd) : undefined,
      initmem: 2,
    });
  }
  // J is built on the Ybus pattern (ac-jacobian.ts, explicit zeros kept), so its pattern is
  // structurally symmetric: the first factorization reads the graph of J + J' in one pass
  const symbolic = { n: J.n, q: jacobianOrder(Ybus, pv, pq), symmetricPattern: true };
  return sparseLu(J, { backend: 'ts', symbolic, kept });
}

function sameIdx(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
