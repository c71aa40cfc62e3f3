/**
 * The mismatch at a warm start without evaluating the injections again: a time slice that
 * starts from the previous slice's solution starts (to rounding) at the point whose V and
 * S = V .* conj(Ybus V) the Newton workspace still holds from that solve, so
 * F = S - Sbus needs only the new Sbus (one of the ~4.5 injection evaluations of a case118
 * time-series level; ac-chord-start.ts).
 *
 * "To rounding": Vm equal and Va within a few units in the last place (the solution's degrees
 * converted back to radians). The held S then differs from the start's by about
 * |Ybus| |dV| ~ 1e-11 p.u. at most, so the first chord step is the one from the start to that
 * accuracy, and every later point is evaluated in full. A start that meets tol on the held S is
 * evaluated in full too (NaN below), so a solve that takes no step reports the start's own
 * mismatch.
 */
import { mismatch, NewtonPfWorkspace } from './newtonpf';
import type { ZVec } from './sparse/zcsc';

/** Relative difference in Va (radians, floor 1) accepted as rounding: ~10 ulp. */
const VA_ROUNDING = 2e-15;

/** Per workspace, the point (Vm, Va) whose V and S it holds. */
const evaluatedAt = new WeakMap<NewtonPfWorkspace, { Vm: Float64Array; Va: Float64Array }>();

/** Records ws.Vm / ws.Va as the point ws.V and ws.S were evaluated at (callers guarantee it). */
export function noteEvaluatedPoint(ws: NewtonPfWorkspace): void {
  let p = evaluatedAt.get(ws);
  if (!p) {
    p = { Vm: new Float64Array(ws.Vm.length), Va: new Float64Array(ws.Va.length) };
    evaluatedAt.set(ws, p);
  }
  p.Vm.set(ws.Vm);
  p.Va.set(ws.Va);
}

/**
 * ||F||_inf at ws.Vm / ws.Va from the held injections, F written into ws.F, when that point is
 * the noted one to rounding and the result is at least tol; NaN otherwise (then nothing is
 * kept: the caller evaluates in full).
 */
export function startMismatch(ws: NewtonPfWorkspace, Sbus: ZVec, tol: number, fixed?: Uint8Array): number {
  const p = evaluatedAt.get(ws);
  if (!p || !sameToRounding(p.Vm, p.Va, ws.Vm, ws.Va)) return NaN;
  const norm = mismatch(ws.S, Sbus, ws.pv, ws.pq, ws.F, fixed);
  return norm >= tol ? norm : NaN;
}

function sameToRounding(vm0: Float64Array, va0: Float64Array, vm: Float64Array, va: Float64Array): boolean {
  for (let i = 0, n = vm.length; i < n; i++) {
    if (vm[i] !== vm0[i]) return false;
    const a = va0[i];
    const d = va[i] - a;
    if (!(Math.abs(d) <= VA_ROUNDING * (Math.abs(a) > 1 ? Math.abs(a) : 1))) return false;
  }
  return true;
}
