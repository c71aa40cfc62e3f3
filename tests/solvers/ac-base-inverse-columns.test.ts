/**
 * The kept columns of the base case's inverse Jacobian (ac-base-inverse-columns.ts) are bit for
 * bit the columns a fresh solve gives, whether they were solved a few at a time (the first
 * requests on a factorization) or all at once (after many), on every LU backend; a request on
 * other factors gets that factorization's columns, never the previous one's.
 */
import { readCaseFile } from '../../src/grid/matpower-case';
import { PQ, PV } from '../../src/grid/network';
import { fillWorkspaceJacobian, jacobianLu, newtonpfWorkspace } from '../../src/solvers/newtonpf';
import { bustypes, elementStatus } from '../../src/solvers/bustypes';
import { fillYbus, ybusAssembly } from '../../src/solvers/ybus-assembly';
import { solvePfAc } from '../../src/solvers/pf-ac';
import { BaseInverseColumns } from '../../src/solvers/ac-base-inverse-columns';
import type { SparseLu } from '../../src/solvers/sparse/klu-native';
import { casePath } from '../helpers/cases';
import { luBackends, useLuBackend } from '../helpers/lu-backends';

/** case118's Jacobian factors at its solution scaled by `loadFactor` (another matrix per factor). */
function factors(loadFactor: number): { lu: SparseLu; nx: number } {
  const net = readCaseFile(casePath('case118'));
  for (let i = 0; i < net.bus.n; i++) net.bus.Pd[i] *= loadFactor;
  const st = elementStatus(net);
  const { typeAfter } = bustypes(net, st);
  const types = Array.from(typeAfter);
  const pv = Int32Array.from(types.flatMap((t, i) => (t === PV ? [i] : []))),
    pq = Int32Array.from(types.flatMap((t, i) => (t === PQ ? [i] : [])));
  const sol = solvePfAc(net);
  expect(sol.converged).toBe(true);
  const Ybus = fillYbus(ybusAssembly(net, st), net, st).Ybus;
  const ws = newtonpfWorkspace(Ybus, pv, pq);
  ws.Vm.set(sol.bus.vm);
  sol.bus.vaDeg.forEach((d, i) => (ws.Va[i] = (d * Math.PI) / 180));
  // V at the solution point, as a converged solve leaves the workspace
  for (let i = 0; i < net.bus.n; i++) {
    ws.V.re[i] = ws.Vm[i] * Math.cos(ws.Va[i]);
    ws.V.im[i] = ws.Vm[i] * Math.sin(ws.Va[i]);
  }
  fillWorkspaceJacobian(Ybus, ws);
  return { lu: jacobianLu(ws.pattern.J, undefined, Ybus, pv, pq, true), nx: ws.F.length };
}

function freshColumn(lu: SparseLu, nx: number, r: number): Float64Array {
  const e = new Float64Array(nx);
  e[r] = 1;
  return lu.solve(e);
}

for (const backend of luBackends('base inverse columns')) {
  describe(`kept inverse columns (${backend} LU)`, () => {
    useLuBackend(backend);
    it('equal fresh solves bit for bit, solved a few or all at once, and follow their factors', () => {
      const a = factors(1),
        b = factors(1.05);
      const nx = a.nx;
      expect(BaseInverseColumns.keeps(nx)).toBe(true);
      const inv = new BaseInverseColumns();
      const ownerA = {},
        ownerB = {};
      const at = new Int32Array(4);
      let checked = 0;
      // 40 requests of three or four rows (repeats among them): the first ones solve what is
      // missing, the later ones find every column solved at once
      for (let q = 0; q < 40; q++) {
        const rows = [(7 * q) % nx, (7 * q + 3) % nx, (11 * q + 1) % nx, (5 * q + 2) % nx].slice(0, 3 + (q % 2));
        const cols = inv.columns(ownerA, a.lu, rows, rows.length, nx, at);
        rows.forEach((r, j) => {
          const want = freshColumn(a.lu, nx, r);
          expect(Array.from(cols.subarray(at[j], at[j] + nx))).toEqual(Array.from(want));
          checked++;
        });
      }
      expect(checked).toBeGreaterThan(100);
      // other factors: their own columns (these differ from a's)
      const rows = [0, 5, 9];
      const cols = inv.columns(ownerB, b.lu, rows, 3, nx, at);
      rows.forEach((r, j) => {
        const got = Array.from(cols.subarray(at[j], at[j] + nx));
        expect(got).toEqual(Array.from(freshColumn(b.lu, nx, r)));
        expect(got).not.toEqual(Array.from(freshColumn(a.lu, nx, r)));
      });
      // forgetting the owner: its columns are solved again on the next request
      inv.forget(ownerB);
      const again = inv.columns(ownerB, b.lu, [9], 1, nx, at);
      expect(Array.from(again.subarray(at[0], at[0] + nx))).toEqual(Array.from(freshColumn(b.lu, nx, 9)));
      a.lu.dispose();
      b.lu.dispose();
    });
  });
}
