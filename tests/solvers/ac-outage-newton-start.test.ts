/**
 * An outage's start on the base case's factors (ac-outage-newton-start.ts) is Newton's first step
 * from the base solution on the outaged network: on every single-branch outage of case118 and
 * every 7th of case1354pegase that keeps the network connected it equals newtonpf's one step
 * (Jacobian of the outaged Ybus filled and factored at the base solution) to 1e-11 p.u. / rad
 * (measured at most 1.1e-13), the base case solved to 1e-11 (its mismatch is what the start leaves
 * out); several branches
 * out, a base solution other than the held one, or another workspace give no start.
 */
import { readCaseFile } from '../../src/grid/matpower-case';
import { Network, PQ, PV } from '../../src/grid/network';
import { evaluateAt, newtonpf, newtonpfWorkspace } from '../../src/solvers/newtonpf';
import { OutageNewtonStarts } from '../../src/solvers/ac-outage-newton-start';
import { busesWithoutReference, bustypes, elementStatus } from '../../src/solvers/bustypes';
import { makeYbus } from '../../src/solvers/makeYbus';
import { fillYbus, ybusAssembly } from '../../src/solvers/ybus-assembly';
import { solvePfAc } from '../../src/solvers/pf-ac';
import { zvec, ZVec } from '../../src/solvers/sparse/zcsc';
import { casePath } from '../helpers/cases';
import { luBackends, useLuBackend } from '../helpers/lu-backends';

function sbusOf(net: Network): ZVec {
  const S = zvec(net.bus.n);
  for (let i = 0; i < net.bus.n; i++) {
    S.re[i] = -net.bus.Pd[i] / net.baseMVA;
    S.im[i] = -net.bus.Qd[i] / net.baseMVA;
  }
  for (let g = 0; g < net.gen.n; g++) {
    if (!net.gen.status[g]) continue;
    const b = net.busIndex.get(net.gen.bus[g]) as number;
    S.re[b] += net.gen.Pg[g] / net.baseMVA;
    S.im[b] += net.gen.Qg[g] / net.baseMVA;
  }
  return S;
}

/** the base case's tolerance (p.u.): case1354pegase's rounding stops it not far below */
const BASE_TOL = 1e-11;

function check(name: string, every: number): void {
  const net = readCaseFile(casePath(name));
  const st = elementStatus(net);
  const { typeAfter, ref } = bustypes(net, st);
  const types = Array.from(typeAfter);
  const pv = Int32Array.from(types.flatMap((t, i) => (t === PV ? [i] : []))),
    pq = Int32Array.from(types.flatMap((t, i) => (t === PQ ? [i] : [])));
  const sol = solvePfAc(net, { tol: BASE_TOL });
  expect(sol.converged).toBe(true);
  const base = { vm: sol.bus.vm, vaDeg: sol.bus.vaDeg };
  const Sbus = sbusOf(net);
  // the base workspace at the base solution, on the fixed pattern a prepared solver uses
  const asm = ybusAssembly(net, st);
  const Ybus = fillYbus(asm, net, st).Ybus;
  const ws = newtonpfWorkspace(Ybus, pv, pq);
  ws.Vm.set(base.vm);
  base.vaDeg.forEach((d, i) => (ws.Va[i] = (d * Math.PI) / 180));
  expect(evaluateAt(Ybus, Sbus, ws)).toBeLessThan(BASE_TOL);
  const starts = new OutageNewtonStarts();
  expect(starts.hold(base, Ybus, ws, st.branchOn, 0)).toBe(true);
  const Va0 = Float64Array.from(base.vaDeg, (d) => (d * Math.PI) / 180);
  let compared = 0;
  for (let k = 0; k < net.branch.n; k += every) {
    if (!st.branchOn[k]) continue;
    const on = st.branchOn.slice();
    on[k] = 0;
    const out = { ...st, branchOn: on };
    if (busesWithoutReference(net, out, ref).length > 0) continue;
    const got = starts.startFor(out, 0, ws, base, asm.adm);
    if (!got) throw new Error(`no start for branch row ${k + 1}`);
    // Newton's first step on the outaged network from the base solution
    const outNet: Network = { ...net, branch: { ...net.branch, status: Float64Array.from(on) } };
    const Yout = makeYbus(outNet, elementStatus(outNet)).Ybus;
    const step = newtonpf(Yout, Sbus, base.vm, Va0, pv, pq, { tol: 0, maxIt: 1 });
    expect(step.iterations).toBe(1);
    let worst = 0;
    for (let i = 0; i < net.bus.n; i++) {
      worst = Math.max(worst, Math.abs(got.vm[i] - step.Vm[i]));
      worst = Math.max(worst, Math.abs((got.vaDeg[i] * Math.PI) / 180 - step.Va[i]));
    }
    expect(worst).toBeLessThan(1e-11);
    compared++;
  }
  expect(compared).toBeGreaterThan(name === 'case118' ? 170 : 150);
  // two branches out, another base solution object, another workspace: no start
  const two = st.branchOn.slice();
  two[0] = 0;
  two[1] = 0;
  expect(starts.startFor({ ...st, branchOn: two }, 0, ws, base, asm.adm)).toBeNull();
  const one = st.branchOn.slice();
  one[1] = 0;
  expect(starts.startFor({ ...st, branchOn: one }, 0, ws, { ...base }, asm.adm)).toBeNull();
  expect(starts.startFor({ ...st, branchOn: one }, 0, newtonpfWorkspace(Ybus, pv, pq), base, asm.adm)).toBeNull();
  expect(starts.startFor({ ...st, branchOn: one }, 0, ws, base, asm.adm)).not.toBeNull();
  starts.release();
  expect(starts.startFor({ ...st, branchOn: one }, 0, ws, base, asm.adm)).toBeNull();
}

for (const lu of luBackends('outage Newton start')) {
  describe(`the outage start on the base factors is Newton's first step (${lu} LU)`, () => {
    useLuBackend(lu);
    it('case118, every connected outage', () => check('case118', 1));
    it('case1354pegase, every 7th connected outage', () => check('case1354pegase', 7));
  });
}
