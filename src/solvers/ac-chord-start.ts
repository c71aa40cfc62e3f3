/**
 * A warm-started AC power flow's first steps on LU factors the workspace already holds (chord
 * steps, a modified Newton method): a time slice starts from the previous slice's solution,
 * where the Jacobian of the previous slice's Newton steps is close to the new one, so
 * x <- x - J_old^-1 F(x) converges nearly as fast as Newton at the cost of one triangular solve
 * and one mismatch evaluation (no Jacobian fill, no refactorization: on case9241pegase ~1.2 ms
 * against ~6 ms for a Newton iteration). lightsim2grid's TimeSeries refactors on every step.
 *
 * Rules: a step on kept factors must lower ||F||_inf, else it is undone; a step that shrinks it
 * less than contractionFor(nb)-fold shows the factors are stale. Either way the Jacobian is refilled
 * and refactored once at the current point and the chord steps go on. The first step on those
 * fresh factors is a Newton step and is kept whatever it does to ||F||_inf (Newton from that
 * point would take the same step); should a later one fail or be slow, Newton (newtonpf) takes
 * over from the last point kept.
 * Newton then iterates to the same tolerance, so the solution is the power flow's (||F||_inf <
 * tol), as without chord steps. Factors are used only when they were computed on the same Ybus
 * values and bus types: `noteFactors` records which branch-status variant a workspace's factors
 * belong to.
 */
import { applyNewtonStep, evaluateAt, fillWorkspaceJacobian, NewtonPfWorkspace } from './newtonpf';
import { SingularMatrixError } from './sparse/lu';
import type { ZCsc, ZVec } from './sparse/zcsc';
import { noteEvaluatedPoint, startMismatch } from './start-injections';

/**
 * At most this many chord steps per solve. Each kept step is an iteration of the (modified)
 * Newton method: a solution's `iterations` counts chord steps and Newton steps alike, and both
 * share the solve's iteration limit, so `--max-iterations` bounds the steps taken whatever
 * the start. A cold solve takes no chord step: its count stays MATPOWER's.
 */
const CHORD_STEPS = 6;
/** A chord step that shrinks ||F||_inf by less than this factor marks the factors stale. */
const CONTRACTION = 0.3;
/**
 * On networks of at most SMALL_NETWORK_BUSES buses, a step must shrink ||F||_inf CONTRACTION_SMALL-
 * fold: there a refreshed Jacobian costs little more than a chord step (case118: fill 1.5 +
 * refactorization 4.3-5 us against solve 1.4 + evaluation 2.2 us), so refreshing sooner saves
 * more chord steps than it costs. Steady time series (96 load levels, A/B in one plain-node
 * process, process CPU time, 21 alternating rounds x 5, load 3.9-4.3): case118 per PF
 * 32.4 -> 31.1 / 33.7 -> 30.5 us (TS LU, two runs), 34.3 -> 31.7 / 34.0 -> 32.1 us (KLU);
 * 2.7 chord steps and 0.23 refactorizations a level instead of 3.4 and 0.06. On case1354pegase
 * (fill 16 + refactorization 119-221 us against solve 25-33 + evaluation 25 us) the same rule
 * costs 4% (TS LU) and 12% (KLU), 0.15 still 0-4%: larger networks keep CONTRACTION.
 */
const CONTRACTION_SMALL = 0.05;
const SMALL_NETWORK_BUSES = 1000;

/** The contraction below which a chord step shows stale factors, on a network of nb buses. */
function contractionFor(nb: number): number {
  return nb <= SMALL_NETWORK_BUSES ? CONTRACTION_SMALL : CONTRACTION;
}

/**
 * Which Ybus (variant object) each workspace's current factors were computed on, and in which
 * solve call (the prepared solver's call number).
 */
const factorsOn = new WeakMap<NewtonPfWorkspace, { variant: object; call: number }>();
/** Room to restore the last point when a chord step does not help. */
const saved = new WeakMap<NewtonPfWorkspace, { Vm: Float64Array; Va: Float64Array }>();

export interface ChordResult {
  /** chord steps kept */
  steps: number;
  /** Jacobians refactored among them (0 or 1) */
  refactors: number;
  /** the start's mismatch came from the injections the workspace held (start-injections.ts) */
  heldStart: boolean;
  /**
   * ||F||_inf at ws.Vm / ws.Va, whose V, S and F the workspace then holds (NaN when no step
   * was tried): below tol, the point is the solution and Newton has nothing to do.
   */
  normF: number;
}

/**
 * Records that `ws.lu` now holds factors of a Jacobian on `variant`'s Ybus, made in solve call
 * `call` (or none), and the point ws.Vm / ws.Va whose V and S the workspace holds (see
 * start-injections.ts).
 */
export function noteFactors(ws: NewtonPfWorkspace, variant: object, call: number): void {
  if (ws.lu) {
    factorsOn.set(ws, { variant, call });
    // a one-shot solve (call -1) has no next call to start from its point
    if (call >= 0) noteEvaluatedPoint(ws);
  } else factorsOn.delete(ws);
}

/**
 * Chord steps from the start point in ws.Vm / ws.Va (radians) when ws holds factors made on
 * `factors.variant` in solve call `factors.call` (see above; the caller asks for its previous
 * call's, so that what a solve returns depends only on its own inputs and that one solve), at most CHORD_STEPS and `maxSteps`, until the point meets `tol`. Returns how many
 * steps were kept (ws.Vm / ws.Va moved by them; unchanged when none) and how many Jacobians
 * were refactored among them (0 or 1).
 */
export function chordSteps(
  Ybus: ZCsc,
  Sbus: ZVec,
  ws: NewtonPfWorkspace,
  factors: { variant: object; call: number },
  tol: number,
  fixed?: Uint8Array,
  maxSteps = CHORD_STEPS,
): ChordResult {
  const made = factorsOn.get(ws);
  if (!ws.lu || made?.variant !== factors.variant || made.call !== factors.call)
    return { steps: 0, refactors: 0, normF: NaN, heldStart: false };
  const { pv, pq, Vm, Va, F, dx } = ws;
  // Ybus's values may have changed in place since the last solve (newton-wasm.ts holds a copy)
  ws.kernels?.forgetValues();
  // the start is the previous solve's last point (to rounding): its injections are still in ws
  let norm = startMismatch(ws, Sbus, tol, fixed);
  const heldStart = !Number.isNaN(norm);
  if (!heldStart) norm = evaluate(Ybus, Sbus, ws, fixed);
  let keep = saved.get(ws);
  if (!keep) {
    keep = { Vm: new Float64Array(Vm.length), Va: new Float64Array(Va.length) };
    saved.set(ws, keep);
  }
  const contraction = contractionFor(Vm.length);
  const npv = pv.length,
    npq = pq.length;
  let steps = 0;
  let fresh = false;
  // the factors are the Jacobian at the current point (refreshed, no step taken on them yet)
  let atThisPoint = false;
  let refactors = 0;
  // converged already, or not finite: Newton reports it
  while (steps < Math.min(CHORD_STEPS, maxSteps) && norm >= tol && ws.lu) {
    keep.Vm.set(Vm);
    keep.Va.set(Va);
    ws.lu.solve(F, dx);
    applyNewtonStep(Vm, Va, pv, pq, dx);
    const next = evaluate(Ybus, Sbus, ws, fixed);
    if (!(next < norm) && atThisPoint) {
      // factors of this very point: the step is the Newton step newtonpf would take from it
      // next, whatever it does to ||F||_inf (on case9241pegase a load step's first Newton step
      // raises it); undoing it made Newton fill, refactor and solve the same system again
      steps++;
      norm = next;
      break;
    }
    if (!(next < norm)) {
      Vm.set(keep.Vm);
      Va.set(keep.Va);
      norm = evaluate(Ybus, Sbus, ws, fixed);
      if (fresh) break;
      fresh = atThisPoint = true;
      refactors++;
      if (!refresh(Ybus, ws, fixed)) break;
      continue;
    }
    atThisPoint = false;
    steps++;
    const slow = next > contraction * norm;
    norm = next;
    if (slow && norm >= tol) {
      if (fresh) break;
      fresh = atThisPoint = true;
      refactors++;
      if (!refresh(Ybus, ws, fixed)) break;
    }
  }
  return { steps, refactors, normF: norm, heldStart };
}

/** ||F||_inf at ws.Vm / ws.Va, leaving V, S and F of that point in ws. */
function evaluate(Ybus: ZCsc, Sbus: ZVec, ws: NewtonPfWorkspace, fixed: Uint8Array | undefined): number {
  return evaluateAt(Ybus, Sbus, ws, fixed);
}

/** The Jacobian at the current point (V, S current), refactored; false when singular. */
function refresh(Ybus: ZCsc, ws: NewtonPfWorkspace, fixed: Uint8Array | undefined): boolean {
  const lu = ws.lu;
  if (!lu) return false;
  fillWorkspaceJacobian(Ybus, ws, fixed);
  try {
    lu.refactor(ws.pattern.J);
    return true;
  } catch (e) {
    if (!(e instanceof SingularMatrixError)) throw e;
    lu.dispose();
    ws.lu = null;
    factorsOn.delete(ws);
    return false;
  }
}
