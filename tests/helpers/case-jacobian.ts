/** The Newton power-flow Jacobian of a MATPOWER case, for tests of the sparse LU. */
import { readCaseFile } from '../../src/grid/matpower-case';
import { bustypes, elementStatus } from '../../src/solvers/bustypes';
import { fillYbus, ybusAssembly } from '../../src/solvers/ybus-assembly';
import { fillJacobian, jacobianPattern } from '../../src/solvers/ac-jacobian';
import type { Csc } from '../../src/solvers/sparse/csc';
import { zcscMulVec, zvec } from '../../src/solvers/sparse/zcsc';
import { casePath } from './cases';

/**
 * The Jacobian of `name` at its case voltages, and its values again with the angles scaled by
 * `vaScale` (same pattern: the values of a later Newton iteration or another load level).
 */
export function caseJacobians(name: string, vaScale: number): { J: Csc; values2: Float64Array } {
  const net = readCaseFile(casePath(name));
  const st = elementStatus(net);
  const bt = bustypes(net, st);
  const Y = fillYbus(ybusAssembly(net, st), net, st);
  const pat = jacobianPattern(Y.Ybus, Int32Array.from(bt.pv), Int32Array.from(bt.pq));
  const nb = net.bus.n;
  const V = zvec(nb),
    I = zvec(nb),
    S = zvec(nb);
  const Vm = Float64Array.from(net.bus.Vm);
  const fill = (scale: number): Float64Array => {
    for (let i = 0; i < nb; i++) {
      const a = (scale * net.bus.Va[i] * Math.PI) / 180;
      V.re[i] = Vm[i] * Math.cos(a);
      V.im[i] = Vm[i] * Math.sin(a);
    }
    zcscMulVec(Y.Ybus, V, I);
    for (let i = 0; i < nb; i++) {
      S.re[i] = V.re[i] * I.re[i] + V.im[i] * I.im[i];
      S.im[i] = V.im[i] * I.re[i] - V.re[i] * I.im[i];
    }
    fillJacobian(pat, Y.Ybus, V, Vm, S);
    return pat.J.values.slice();
  };
  const values2 = fill(vaScale);
  const values = fill(1);
  return { J: { ...pat.J, values }, values2 };
}
