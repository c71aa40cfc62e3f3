/**
 * DC N-1 by PTDF / LODF from one base factorization equals full DC power flows of the outaged
 * networks (solvePfDc: new B, new factorization), flows to 1e-6 MW; outages that split the
 * network are reported with the buses they cut off, as the full solve reports them.
 */
import { dcContingencyAnalysis, DcOutageReport } from '../../src/solvers/dc-contingency';
import { bridges, makeLODF } from '../../src/solvers/makeLODF';
import { makePTDF } from '../../src/solvers/makePTDF';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { dcInjections, prepareDcPf, solvePfDc } from '../../src/solvers/pf-dc';
import { solveNetwork, SolverCache } from '../../src/solvers/solve';
import { casePath } from '../helpers/cases';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

function outaged(net: Network, l: number): Network {
  const c = cloneNetwork(net);
  c.branch.status[l] = 0;
  return c;
}

function checkAll(name: string, every: number): { connected: number; islanding: number } {
  const net = readCaseFile(casePath(name));
  const reports: DcOutageReport[] = [];
  const list = Array.from({ length: net.branch.n }, (_, l) => l).filter((l) => net.branch.status[l] && l % every === 0);
  const r = dcContingencyAnalysis(net, (x) => reports.push(x), list);
  expect(r.ok).toBe(true);
  expect(reports.map((x) => x.branch)).toEqual(list);
  let connected = 0,
    islanding = 0;
  for (const rep of reports) {
    const full = solvePfDc(outaged(net, rep.branch));
    if (rep.connected) {
      connected++;
      expect(full.converged).toBe(true);
      expect(maxAbsDiff(rep.pf as Float64Array, full.branch.pf)).toBeLessThan(1e-6);
    } else {
      islanding++;
      expect(full.converged).toBe(false);
      expect(full.error).toMatch(/network split/);
      expect(rep.isolatedBuses.length).toBeGreaterThan(0);
      for (const b of rep.isolatedBuses) expect(full.isolatedBuses).toContain(b);
    }
  }
  return { connected, islanding };
}

describe('DC N-1 by LODF equals full DC solves of the outaged networks', () => {
  it('case118, every branch (bridges reported)', () => {
    const { connected, islanding } = checkAll('case118', 1);
    expect(connected).toBeGreaterThan(150);
    expect(islanding).toBeGreaterThan(0);
  });
  it('case1354pegase, every 5th branch', () => {
    const { connected, islanding } = checkAll('case1354pegase', 5);
    expect(connected).toBeGreaterThan(250);
    expect(islanding).toBeGreaterThan(0);
  });
  it('case9241pegase, every 200th branch', () => {
    expect(checkAll('case9241pegase', 200).connected).toBeGreaterThan(50);
  });
});

describe('makePTDF / makeLODF (dense, MATPOWER definitions)', () => {
  const net = readCaseFile(casePath('case30'));
  const p = prepareDcPf(net);
  if (!p.ok) throw new Error(p.error);
  const nb = net.bus.n,
    nl = net.branch.n;

  it('PTDF times the bus injections gives the DC flows (no phase shifters in case30)', () => {
    const H = makePTDF(p.model, nb, nl);
    const P = dcInjections(net, p.model);
    const full = solvePfDc(net);
    for (let l = 0; l < nl; l++) {
      let s = 0;
      for (let j = 0; j < nb; j++) s += H[l * nb + j] * P[j];
      expect(Math.abs(s * net.baseMVA - full.branch.pf[l])).toBeLessThan(1e-8);
    }
    const slack = p.model.ref[0];
    for (let l = 0; l < nl; l++) expect(H[l * nb + slack]).toBe(0);
  });

  it('LODF columns give the post-outage flows; -1 on the diagonal; NaN for bridges', () => {
    const L = makeLODF(p.model, nb, nl);
    const br = bridges(nb, p.model.status.f, p.model.status.t, p.model.status.branchOn);
    const base = solvePfDc(net);
    for (let k = 0; k < nl; k++) {
      if (br[k]) {
        expect(L[k]).toBeNaN();
        continue;
      }
      expect(L[k * nl + k]).toBe(-1);
      const full = solvePfDc(outaged(net, k));
      for (let l = 0; l < nl; l++) {
        expect(Math.abs(base.branch.pf[l] + L[l * nl + k] * base.branch.pf[k] - full.branch.pf[l])).toBeLessThan(1e-6);
      }
    }
  });
});

describe('pf_dc N-1 jobs take the LODF path with the base grid as reference', () => {
  it('equals the full solve (angles, flows, slack generation) and falls back for islanding outages', () => {
    const base = readCaseFile(casePath('case118'));
    const cache = new SolverCache(4);
    const p = prepareDcPf(base);
    if (!p.ok) throw new Error(p.error);
    const br = bridges(base.bus.n, p.model.status.f, p.model.status.t, p.model.status.branchOn);
    const island = br.indexOf(1);
    for (const l of [0, 7, 40, 120, island]) {
      const net = outaged(base, l);
      for (let i = 0; i < net.bus.n; i++) net.bus.Pd[i] *= 1.03;
      const fast = solveNetwork('pf_dc', net, {}, cache, base);
      const full = solvePfDc(net);
      expect(fast.converged).toBe(full.converged);
      expect(fast.error).toBe(full.error);
      if (!full.converged) {
        expect(fast.isolatedBuses).toEqual(full.isolatedBuses);
        continue;
      }
      expect(maxAbsDiff(fast.branch.pf, full.branch.pf)).toBeLessThan(1e-6);
      expect(maxAbsDiff(fast.branch.pt, full.branch.pt)).toBeLessThan(1e-6);
      expect(maxAbsDiff(fast.bus.vaDeg, full.bus.vaDeg)).toBeLessThan(1e-8);
      expect(maxAbsDiff(fast.gen.pg, full.gen.pg)).toBeLessThan(1e-6);
    }
    expect(cache.dcOutageSolves).toBe(4);
  });
});
