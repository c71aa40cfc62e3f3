/** The Newton power-flow Jacobian of a MATPOWER case, for tests of the sparse LU and its ordering. */
import { readCaseFile } from '../../src/grid/matpower-case';
import { bustypes, elementStatus } from '../../src/solvers/bustypes';
import { fillYbus, ybusAssembly } from '../../src/solvers/ybus-assembly';
import { fillJacobian, jacobianPattern } from '../../src/solvers/ac-jacobian';
import type { Csc } from '../../src/solvers/sparse/csc';
import { ZCsc, ZVec, zcscMulVec, zvec } from '../../src/solvers/sparse/zcsc';
import { casePath } from './cases';

export interface CaseJacobian {
  J: Csc;
  /** the Ybus and bus types J was built on */
  Ybus: ZCsc;
  pv: Int32Array;
  pq: Int32Array;
  /** J's pattern with each column's bus and variable (jacobianPattern) */
  pattern: ReturnType<typeof jacobianPattern>;
}

/** The Jacobian of `name` at its case voltages, the angles scaled by `vaScale`. */
export function caseJacobian(name: string, vaScale = 1): CaseJacobian {
  const net = readCaseFile(casePath(name));
  const st = elementStatus(net);
  const bt = bustypes(net, st);
  const Y = fillYbus(ybusAssembly(net, st), net, st);
  const pv = Int32Array.from(bt.pv),
    pq = Int32Array.from(bt.pq);
  const pat = jacobianPattern(Y.Ybus, pv, pq);
  const nb = net.bus.n;
  const V = zvec(nb),
    I = zvec(nb),
    S = zvec(nb);
  const Vm = Float64Array.from(net.bus.Vm);
  for (let i = 0; i < nb; i++) {
    const a = (vaScale * net.bus.Va[i] * Math.PI) / 180;
    V.re[i] = Vm[i] * Math.cos(a);
    V.im[i] = Vm[i] * Math.sin(a);
  }
  zcscMulVec(Y.Ybus, V, I);
  for (let i = 0; i < nb; i++) {
    S.re[i] = V.re[i] * I.re[i] + V.im[i] * I.im[i];
    S.im[i] = V.im[i] * I.re[i] - V.re[i] * I.im[i];
  }
  fillJacobian(pat, Y.Ybus, V, Vm, S);
  return { J: pat.J, Ybus: Y.Ybus, pv, pq, pattern: pat };
}

/**
 * The Jacobian of `name` at its case voltages, and its values again with the angles scaled by
 * `vaScale` (same pattern: the values of a later Newton iteration or another load level).
 */
export function caseJacobians(name: string, vaScale: number): { J: Csc; values2: Float64Array } {
  return { J: caseJacobian(name).J, values2: caseJacobian(name, vaScale).J.values };
}

/** A seeded uniform generator in (0, 1) (Park-Miller), for reproducible test points. */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** A random operating point of `nb` buses: Vm in [0.9, 1.1], Va in [-0.5, 0.5], Sbus parts in [-0.5, 0.5]. */
export function randomOperatingPoint(nb: number, seed: number): { Vm: Float64Array; Va: Float64Array; Sbus: ZVec } {
  const rnd = seededRandom(seed);
  const Vm = Float64Array.from({ length: nb }, () => 0.9 + 0.2 * rnd());
  const Va = Float64Array.from({ length: nb }, () => rnd() - 0.5);
  const Sbus = zvec(nb);
  for (let i = 0; i < nb; i++) {
    Sbus.re[i] = rnd() - 0.5;
    Sbus.im[i] = rnd() - 0.5;
  }
  return { Vm, Va, Sbus };
}
