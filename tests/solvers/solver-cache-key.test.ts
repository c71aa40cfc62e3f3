/**
 * SolverCache reuses its last DC model key when a job's network shares the key columns (the very
 * arrays) of the previous one (src/solvers/solve.ts keyOf): jobs that change only loads get the
 * base's model, and any written key column (a branch outage, a new reactance, a bus type)
 * gets the model of its own topology, also right after a job that reused the key.
 */
import { readCaseFile } from '../../src/grid/matpower-case';
import { NetworkDraft, branchOutageView } from '../../src/scenarios/network-draft';
import { SolverCache } from '../../src/solvers/solve';
import { CASE14 } from '../scenarios/helpers';

describe('SolverCache DC model key', () => {
  const base = readCaseFile(CASE14);
  const loadsOnly = () => {
    const d = new NetworkDraft(base);
    const pd = d.col('bus', 'Pd');
    for (let i = 0; i < pd.length; i++) pd[i] *= 1.1;
    return d.net;
  };

  it('gives load-only drafts the base model and each changed topology its own', () => {
    const cache = new SolverCache();
    const m0 = cache.dc(base);
    expect(cache.dc(loadsOnly())).toBe(m0);
    const out = branchOutageView(base, [3]);
    const m1 = cache.dc(out);
    expect(m1).not.toBe(m0);
    // the same outage rows in a new array: same key (by value), same model
    expect(cache.dc(branchOutageView(base, [3]))).toBe(m1);
    expect(cache.dc(loadsOnly())).toBe(m0);
    const d = new NetworkDraft(base);
    d.col('branch', 'x')[0] *= 2;
    const m2 = cache.dc(d.net);
    expect(m2).not.toBe(m0);
    expect(m2).not.toBe(m1);
    const t = new NetworkDraft(base);
    const type = t.col('bus', 'type');
    const pv = type.findIndex((v) => v === 2);
    type[pv] = 1;
    expect(cache.dc(t.net)).not.toBe(m0);
    expect(cache.dc(base)).toBe(m0);
  });
});
