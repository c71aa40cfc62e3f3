/**
 * The augmented KKT systems of the barrier tail (mips.ts with MipsSafeguards.augmentAbove): which
 * inequalities become rows (kkt-system.ts splitInequalities) and where the AC OPF's bus-block
 * order puts them (kkt-order.ts kktOrderAc with dhG).
 */
import { cscFromTriplets } from '../../src/solvers/sparse/csc';
import { cscSelectCols } from '../../src/solvers/sparse/csc-ops';
import { acopfSetup } from '../../src/solvers/opf/acopf-setup';
import { kktOrderAc } from '../../src/solvers/opf/kkt-order';
import { splitInequalities } from '../../src/solvers/opf/kkt-system';
import { splitLinearConstraints } from '../../src/solvers/opf/mips-linear';
import { opfCase } from '../../src/solvers/opf/opf-case';
import { opf_consfcn } from '../../src/solvers/opf/opf_consfcn';
import { loadCase } from './opf-helpers';

describe('splitInequalities', () => {
  // columns 0 and 3: one variable each; 1, 2 and 4: two variables
  const dh = cscFromTriplets(3, 5, [0, 0, 1, 1, 2, 2, 0, 2], [0, 1, 1, 2, 2, 3, 4, 4], [1, 1, 1, 1, 1, 1, 1, 1]);
  const z = Float64Array.from([1, 1, 1, 1, 1]);

  it('condenses everything in the reduced form and every general inequality is a row with threshold 0', () => {
    const mu = Float64Array.from([1e-9, 1e-9, 1, 1, 1e-12]);
    expect(splitInequalities(dh, mu, z, false, 1e-6, new Uint8Array(5))).toEqual({ S: [0, 1, 2, 3, 4], G: [] });
    expect(splitInequalities(dh, mu, z, true, 0, new Uint8Array(5))).toEqual({ S: [0, 3], G: [1, 2, 4] });
  });

  it('keeps as rows the general inequalities whose mu/z exceeds the threshold, and keeps them after', () => {
    const kept = new Uint8Array(5);
    const mu = Float64Array.from([1, 1e-9, 1e-3, 1, 1e-12]);
    expect(splitInequalities(dh, mu, z, true, 1e-6, kept)).toEqual({ S: [0, 1, 3, 4], G: [2] });
    mu[2] = 1e-12; // no longer binding: still a row, the KKT pattern stays
    mu[4] = 1;
    expect(splitInequalities(dh, mu, z, true, 1e-6, kept)).toEqual({ S: [0, 1, 3], G: [2, 4] });
  });
});

describe('kktOrderAc with augmented rows', () => {
  const oc = opfCase(loadCase('pglib_opf_case118_ieee'));
  if (!oc.ok) throw new Error(oc.error);
  const m = acopfSetup(oc.c);
  const { ieq } = splitLinearConstraints(m.nx, m.A, m.l, m.u, m.xmin, m.xmax);
  const dh = opf_consfcn(m, m.x0).dh;
  const G = [0, 7, 50, dh.n - 1];
  const dhG = cscSelectCols(dh, G);
  const { nx, nb } = m;
  const n = nx + G.length + 2 * nb + ieq.length;

  it('is a permutation of variables, augmented rows, balance rows and equality rows', () => {
    const q = kktOrderAc(m, ieq, dhG);
    expect(q.length).toBe(n);
    expect([...q].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k));
  });

  it('puts each augmented row right after the block of the bus of its last variable', () => {
    const q = kktOrderAc(m, ieq, dhG);
    const pos = new Int32Array(n);
    q.forEach((c, k) => {
      pos[c] = k;
    });
    const eq0 = nx + G.length;
    G.forEach((_, j) => {
      const vars = Array.from(dhG.rowIdx.subarray(dhG.colPtr[j], dhG.colPtr[j + 1]));
      const last = vars.reduce((a, v) => (pos[v] > pos[a] ? v : a));
      const bus = last < nb ? last : last - nb; // its variables are Va and Vm of two buses
      // after every variable of the row and after its last bus's Q balance row, which ends the block
      for (const v of vars) expect(pos[nx + j]).toBeGreaterThan(pos[v]);
      expect(pos[eq0 + nb + bus]).toBeLessThan(pos[nx + j]);
      const between = q.subarray(pos[eq0 + nb + bus] + 1, pos[nx + j]);
      // in between: other augmented rows and the block's generator variables without bounds
      for (const c of between) expect((c >= nx && c < eq0) || (c >= m.iPg && c < nx)).toBe(true);
    });
  });

  it('without augmented rows is the reduced system order', () => {
    const q = kktOrderAc(m, ieq);
    expect(q.length).toBe(nx + 2 * nb + ieq.length);
  });

  it('puts a generator variable without bounds after the balance rows of its bus', () => {
    const g = 3,
      v = m.iQg + g;
    const xmin = m.xmin.slice(),
      xmax = m.xmax.slice();
    xmin[v] = -Infinity;
    xmax[v] = Infinity;
    const free = { ...m, xmin, xmax };
    const q = kktOrderAc(free, ieq);
    const pos = new Int32Array(q.length);
    q.forEach((c, k) => {
      pos[c] = k;
    });
    const bus = m.oc.genBus[g];
    expect(pos[v]).toBeGreaterThan(pos[nx + nb + bus]);
    expect(pos[m.iPg + g]).toBeLessThan(pos[nx + bus]);
    expect(kktOrderAc(m, ieq).indexOf(v)).toBeLessThan(kktOrderAc(m, ieq).indexOf(nx + bus));
  });
});
