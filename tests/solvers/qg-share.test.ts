/**
 * shareQg (qg-share.ts) against MATPOWER's pfsoln lines written plainly: per bus the sums over its
 * in-service generators in generator order from 0 (as Cg' * x forms them), then
 * Qg = Qmin + (QgTot - QgMin) / (QgMax - QgMin + eps) * (Qmax - Qmin), with the equal split where a
 * bus's range is zero. Bit for bit, on buses with one, two and three generators, infinite and
 * equal limits, and a Qg of -0.
 */
import { shareQg } from '../../src/solvers/qg-share';

const EPS = 2.220446049250313e-16;

function matpowerSplit(
  on: number[],
  genBus: Int32Array,
  qgIn: Float64Array,
  Qmin: Float64Array,
  Qmax: Float64Array,
  nb: number,
): Float64Array {
  const qg = qgIn.slice();
  const count = new Float64Array(nb);
  for (const g of on) count[genBus[g]] += 1;
  for (const g of on) qg[g] = qg[g] / count[genBus[g]];
  const M = new Float64Array(nb);
  for (const g of on) {
    let m = Math.abs(qg[g]);
    if (Number.isFinite(Qmax[g])) m += Math.abs(Qmax[g]);
    if (Number.isFinite(Qmin[g])) m += Math.abs(Qmin[g]);
    M[genBus[g]] += m;
  }
  const lo = new Map<number, number>(),
    hi = new Map<number, number>();
  const proxy = (q: number, b: number) => (q === Infinity ? M[b] : q === -Infinity ? -M[b] : q);
  for (const g of on) {
    lo.set(g, proxy(Qmin[g], genBus[g]));
    hi.set(g, proxy(Qmax[g], genBus[g]));
  }
  const tot = new Float64Array(nb),
    qmin = new Float64Array(nb),
    qmax = new Float64Array(nb);
  for (const g of on) {
    tot[genBus[g]] += qg[g];
    qmin[genBus[g]] += lo.get(g) as number;
    qmax[genBus[g]] += hi.get(g) as number;
  }
  for (const g of on) {
    const b = genBus[g];
    const l = lo.get(g) as number,
      h = hi.get(g) as number;
    qg[g] = l + ((tot[b] - qmin[b]) / (qmax[b] - qmin[b] + EPS)) * (h - l);
    if (Math.abs(qmin[b] - qmax[b]) < 10 * EPS) qg[g] = l + (tot[b] - qmin[b]) / count[b];
  }
  return qg;
}

/** A reproducible generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('shareQg', () => {
  it("equals MATPOWER's split bit for bit on random buses of one to three generators", () => {
    const rand = rng(13);
    let sharedBuses = 0,
      aloneBuses = 0;
    for (let trial = 0; trial < 300; trial++) {
      const nb = 5 + Math.floor(rand() * 20);
      const ng = 2 + Math.floor(rand() * 30);
      const genBus = Int32Array.from({ length: ng }, () => Math.floor(rand() * nb));
      const pick = (): number => {
        const u = rand();
        if (u < 0.1) return Infinity;
        if (u < 0.15) return 0;
        return Math.round((rand() * 400 - 100) * 8) / 8;
      };
      const Qmax = Float64Array.from({ length: ng }, pick);
      const Qmin = Float64Array.from({ length: ng }, (_, g) => {
        const u = rand();
        if (u < 0.1) return -Infinity;
        if (u < 0.2) return Qmax[g] === Infinity ? 0 : Qmax[g]; // a zero range
        return Math.min(Qmax[g], -Math.round(rand() * 300 * 8) / 8);
      });
      const qg = Float64Array.from({ length: ng }, () => (rand() < 0.05 ? -0 : rand() * 500 - 250));
      const on = Array.from({ length: ng }, (_, g) => g).filter(() => rand() < 0.9);
      if (on.length < 2) continue;
      const perBus = new Map<number, number>();
      for (const g of on) perBus.set(genBus[g], (perBus.get(genBus[g]) ?? 0) + 1);
      for (const c of perBus.values()) c > 1 ? sharedBuses++ : aloneBuses++;
      const want = matpowerSplit(on, genBus, qg, Qmin, Qmax, nb);
      const got = qg.slice();
      shareQg(Int32Array.from(on), on.length, genBus, got, Qmin, Qmax, nb);
      for (let g = 0; g < ng; g++) expect(Object.is(got[g], want[g])).toBe(true);
    }
    expect(sharedBuses).toBeGreaterThan(100);
    expect(aloneBuses).toBeGreaterThan(100);
  });
});
