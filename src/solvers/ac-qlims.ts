/**
 * Generator reactive-limit enforcement between power-flow solves, as MATPOWER's runpf with
 * pf.enforce_q_lims = 1 (all violating generators at once) or 2 (the largest violation
 * only): a violating generator is fixed at the violated limit and its bus becomes PQ; when
 * that removes the reference bus, the first remaining PV bus becomes the reference.
 * Infeasible when every remaining PV / REF generator violates the same kind of limit.
 */
import type { Status } from './bustypes';
import { NONE, Network, PQ, PV, REF } from '../grid/network';

/** MATPOWER's mpopt.opf.violation, the slack on Q limits (MVAr). */
export const QLIM_VIOLATION = 5e-6;

export interface QlimState {
  /** Reference bus rows and their case angles (degrees) before any change. */
  ref0: number[];
  vaRef0Deg: number[];
  /** Generators fixed at a limit, in the order they were fixed, and their Qg. */
  limited: number[];
  fixedQg: Float64Array;
}

export function newQlimState(net: Network, ref: number[]): QlimState {
  return {
    ref0: ref.slice(),
    vaRef0Deg: ref.map((i) => net.bus.Va[i]),
    limited: [],
    fixedQg: new Float64Array(net.gen.n),
  };
}

export type QlimStep = { kind: 'none' } | { kind: 'changed'; Qg: Float64Array } | { kind: 'error'; message: string };

/**
 * Checks the solved Qg against the limits; on violations updates `types` (bus types, in
 * place) and returns the generators' Qg for the next solve.
 */
export function applyQlimViolations(
  ql: QlimState,
  net: Network,
  st: Status,
  types: Int8Array,
  qg: Float64Array,
  mode: 1 | 2,
): QlimStep {
  const { Qmax, Qmin } = net.gen;
  const live = (g: number) => st.genOn[g] === 1 && types[st.genBus[g]] !== NONE;
  let mx: number[] = [];
  let mn: number[] = [];
  for (let g = 0; g < net.gen.n; g++) {
    if (!live(g)) continue;
    if (qg[g] > Qmax[g] + QLIM_VIOLATION) mx.push(g);
    if (qg[g] < Qmin[g] - QLIM_VIOLATION) mn.push(g);
  }
  if (mx.length === 0 && mn.length === 0) return { kind: 'none' };

  const infeas = [...new Set([...mx, ...mn])].sort((a, b) => a - b);
  const remaining: number[] = [];
  for (let g = 0; g < net.gen.n; g++)
    if (live(g) && (types[st.genBus[g]] === PV || types[st.genBus[g]] === REF)) remaining.push(g);
  if (
    infeas.length === remaining.length &&
    infeas.every((g, k) => g === remaining[k]) &&
    (mx.length === 0 || mn.length === 0)
  ) {
    return {
      kind: 'error',
      message: `all ${remaining.length} remaining generators exceed their reactive limits: infeasible problem`,
    };
  }
  if (mode === 2) {
    let best = -Infinity,
      which = -1;
    const viol = [...mx.map((g) => qg[g] - Qmax[g]), ...mn.map((g) => Qmin[g] - qg[g])];
    viol.forEach((v, k) => {
      if (v > best) {
        best = v;
        which = k;
      }
    });
    if (which >= mx.length) {
      mn = [mn[which - mx.length]];
      mx = [];
    } else {
      mx = [mx[which]];
      mn = [];
    }
  }
  for (const g of mx) ql.fixedQg[g] = Qmax[g];
  for (const g of mn) ql.fixedQg[g] = Qmin[g];
  const fixed = [...mx, ...mn];
  const nextQg = qg.slice();
  for (const g of ql.limited) nextQg[g] = ql.fixedQg[g];
  for (const g of fixed) nextQg[g] = ql.fixedQg[g];

  const nref = types.reduce((s, t) => s + (t === REF ? 1 : 0), 0);
  if (nref > 1 && fixed.some((g) => types[st.genBus[g]] === REF)) {
    return {
      kind: 'error',
      message:
        'cannot enforce reactive limits at a reference bus in a system with several reference buses (as MATPOWER)',
    };
  }
  for (const g of fixed) types[st.genBus[g]] = PQ;
  // bustypes: a PV / REF bus needs an in-service generator (still true); if no REF is left,
  // the first PV bus becomes the reference
  if (!types.some((t) => t === REF)) {
    const first = types.indexOf(PV);
    if (first < 0) return { kind: 'error', message: 'reactive limits left no PV or reference bus' };
    types[first] = REF;
  }
  ql.limited.push(...fixed);
  return { kind: 'changed', Qg: nextQg };
}
