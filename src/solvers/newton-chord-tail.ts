/**
 * The last Newton step of a warm solve on the factors it already holds: once ||F||_inf is
 * small, one more Newton step would end the solve, and a chord step x <- x - J_prev^-1 F(x) on
 * the previous iterate's Jacobian usually ends it too, without filling and refactoring J (on a
 * case1354pegase N-1 outage a third of the LU and fill work). With quadratic convergence
 * F_k ~ C F_{k-1}^2, the chord step leaves about C^(1/2) F_k^(3/2): below tol when F_k is
 * below about tol^(2/3), which is when it is tried (4.6e-6 p.u. at tol 1e-8).
 *
 * The step is kept only when it meets tol; otherwise the iterate, V, S and F are put back as they
 * were and Newton takes its own step, so a solve never takes more steps than plain Newton and
 * its solution meets the same tolerance.
 */
import { applyNewtonStep, evaluateAt, NewtonPfWorkspace } from './newtonpf';
import type { ZCsc, ZVec } from './sparse/zcsc';

/** Whether a chord step is worth trying at ||F||_inf = normF. */
export function chordTailWorth(normF: number, tol: number): boolean {
  return normF < Math.cbrt(tol * tol);
}

interface Saved {
  Vm: Float64Array;
  Va: Float64Array;
  Vr: Float64Array;
  Vi: Float64Array;
  Sr: Float64Array;
  Si: Float64Array;
  F: Float64Array;
}

const savedOf = new WeakMap<NewtonPfWorkspace, Saved>();

function room(ws: NewtonPfWorkspace): Saved {
  let s = savedOf.get(ws);
  if (!s) {
    const nb = ws.Vm.length;
    s = {
      Vm: new Float64Array(nb),
      Va: new Float64Array(nb),
      Vr: new Float64Array(nb),
      Vi: new Float64Array(nb),
      Sr: new Float64Array(nb),
      Si: new Float64Array(nb),
      F: new Float64Array(ws.F.length),
    };
    savedOf.set(ws, s);
  }
  return s;
}

/**
 * One chord step on ws.lu from ws's current point (V, S, F current); returns ||F||_inf after it.
 * Below tol the step stays (ws holds the new point, its V, S and F); otherwise ws is restored.
 */
export function chordTailStep(
  Ybus: ZCsc,
  Sbus: ZVec,
  ws: NewtonPfWorkspace,
  tol: number,
  fixed: Uint8Array | undefined,
): number {
  const lu = ws.lu;
  if (!lu) return NaN;
  const s = room(ws);
  const { Vm, Va, V, S, F, dx } = ws;
  s.Vm.set(Vm);
  s.Va.set(Va);
  s.Vr.set(V.re);
  s.Vi.set(V.im);
  s.Sr.set(S.re);
  s.Si.set(S.im);
  s.F.set(F);
  lu.solve(F, dx);
  applyNewtonStep(Vm, Va, ws.pv, ws.pq, dx);
  const n = evaluateAt(Ybus, Sbus, ws, fixed);
  if (n < tol) return n;
  Vm.set(s.Vm);
  Va.set(s.Va);
  V.re.set(s.Vr);
  V.im.set(s.Vi);
  S.re.set(s.Sr);
  S.im.set(s.Si);
  F.set(s.F);
  return n;
}
