/**
 * One entry point for every task. Solvers of the tasks that are not built in this file's
 * imports are looked up lazily, so a missing optional solver fails a job with a clear message.
 */
import { InputError } from '../errors';
import { SolveStopped } from './stop';
import { Network } from '../grid/network';
import { loadHighs, solveOpfAc, solveOpfDc } from './opf';
import { prepareAcPf, PreparedAcPf, solvePfAc } from './pf-ac';
import { prepareDcPf, solvePfDcWith } from './pf-dc';
import { dcOutageModel, solveDcOutage } from './dc-contingency';
import { failedSolution, Solution, SolveOptions, Task } from './solution';

type SolverFn = (net: Network, opts?: SolveOptions) => Solution;

function solverFor(task: Task): SolverFn {
  switch (task) {
    case 'pf_dc':
      return (net) => solvePfDcCached(net, new SolverCache());
    case 'pf_ac':
      return solvePfAc;
    case 'opf_dc':
      return solveOpfDc;
    case 'opf_ac':
      return solveOpfAc;
  }
}

/**
 * Loads what a task's solvers need before the first solve (HiGHS's WASM module for DC OPF).
 * Always awaited before solving, so every job of a batch uses the same solver whichever
 * thread or process runs it.
 */
export async function prepareSolvers(task: Task): Promise<void> {
  if (task === 'opf_dc') await loadHighs();
}

/** A key that changes whenever the DC model's matrix or bus types would change. */
export function dcModelKey(net: Network): string {
  const { bus, gen, branch } = net;
  const parts: string[] = [];
  for (let i = 0; i < bus.n; i++) parts.push(String(bus.type[i]));
  parts.push('|');
  for (let g = 0; g < gen.n; g++) parts.push(gen.status[g] > 0 ? '1' : '0');
  parts.push('|');
  for (let l = 0; l < branch.n; l++)
    parts.push(`${branch.status[l]},${branch.x[l]},${branch.ratio[l]},${branch.angle[l]}`);
  return parts.join(' ');
}

/**
 * The branch row that `net` has out of service and `reference` in service, when that is the
 * only difference in the DC model's inputs (bus types, generator and branch status, branch
 * x / ratio / angle / ends); -1 otherwise.
 */
export function singleBranchOutage(reference: Network, net: Network): number {
  const same = (a: Float64Array, b: Float64Array) => {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  const r = reference,
    n = net;
  if (
    !same(r.bus.type, n.bus.type) ||
    !same(r.bus.busI, n.bus.busI) ||
    !same(r.gen.status, n.gen.status) ||
    !same(r.gen.bus, n.gen.bus)
  )
    return -1;
  const rb = r.branch,
    nb = n.branch;
  if (
    !same(rb.x, nb.x) ||
    !same(rb.ratio, nb.ratio) ||
    !same(rb.angle, nb.angle) ||
    !same(rb.fbus, nb.fbus) ||
    !same(rb.tbus, nb.tbus)
  )
    return -1;
  let k = -1;
  for (let l = 0; l < rb.n; l++) {
    if (rb.status[l] === nb.status[l]) continue;
    if (k >= 0 || rb.status[l] === 0 || nb.status[l] !== 0) return -1;
    k = l;
  }
  return k;
}

/**
 * A thread's prepared solvers: DC models (factors) by topology across the time slices and load
 * levels that share it, and AC structures (Ybus and Jacobian patterns, LU ordering) of which
 * branch outages are numeric variants.
 */
export class SolverCache {
  /** pf_dc jobs solved from the reference's factorization by LODF (single-branch outages). */
  dcOutageSolves = 0;
  private readonly referenceModels = new WeakMap<Network, ReturnType<typeof prepareDcPf>>();
  private readonly models = new Map<string, ReturnType<typeof prepareDcPf>>();
  /** AC solvers by structure, most recently used first (branch outages share one). */
  private readonly acModels: PreparedAcPf[] = [];
  constructor(private readonly capacity = 16) {}

  /** The last key and the columns it was made from (a job's network shares them with the base's until it writes one). */
  private lastKey: { columns: Float64Array[]; key: string } | undefined;

  /**
   * dcModelKey of `net`, reused when its key columns are the very arrays of the previous call's
   * (jobs that change only loads share the base's topology columns: network-draft.ts; no array
   * is written after applyScenario): building the key was ~5% of a one-slice pf_dc job's time.
   */
  private keyOf(net: Network): string {
    const columns = [net.bus.type, net.gen.status, net.branch.status, net.branch.x, net.branch.ratio, net.branch.angle];
    const last = this.lastKey;
    if (last && columns.every((c, i) => c === last.columns[i])) return last.key;
    const key = dcModelKey(net);
    this.lastKey = { columns, key };
    return key;
  }

  /** The model of net's topology, made on first use; the oldest goes past `capacity`. */
  private lookup<T>(models: Map<string, T>, net: Network, make: (net: Network) => T): T {
    const key = this.keyOf(net);
    let p = models.get(key);
    if (!p) {
      p = make(net);
      if (models.size >= this.capacity) models.delete(models.keys().next().value as string);
      models.set(key, p);
    }
    return p;
  }

  dc(net: Network): ReturnType<typeof prepareDcPf> {
    return this.lookup(this.models, net, prepareDcPf);
  }

  /**
   * pf_dc of a single-branch outage of `reference` by LODF from the reference's factorization
   * (dc-contingency.ts); null when `net` is not such an outage or the outage splits the network.
   */
  dcOutage(net: Network, reference: Network): Solution | null {
    const k = singleBranchOutage(reference, net);
    if (k < 0) return null;
    let p = this.referenceModels.get(reference);
    if (!p) {
      p = prepareDcPf(reference);
      this.referenceModels.set(reference, p);
    }
    if (!p.ok || !p.model.status.branchOn[k]) return null;
    const s = solveDcOutage(net, dcOutageModel(p.model, net.bus.n), k);
    if (s) this.dcOutageSolves++;
    return s;
  }

  /**
   * AC: bus types, the Ybus and Jacobian patterns and the LU ordering of one structure;
   * branch outages of it are numeric variants of the same solver. `reference` is the base
   * case whose solution outage variants start from (default: the first network seen).
   */
  ac(net: Network, reference?: Network): PreparedAcPf {
    const k = this.acModels.findIndex((p) => p.fits(net));
    if (k >= 0) {
      const p = this.acModels[k];
      if (k > 0) {
        this.acModels.splice(k, 1);
        this.acModels.unshift(p);
      }
      return p;
    }
    const p = prepareAcPf(net, { reference: reference && reference.branch.n === net.branch.n ? reference : undefined });
    if (this.acModels.length >= this.capacity) this.acModels.pop();
    this.acModels.unshift(p);
    return p;
  }

  /** `ac(net, reference).solve(net, opts)` with one structure check per prepared solver tried. */
  solveAc(net: Network, opts: SolveOptions, reference?: Network): Solution {
    for (let k = 0; k < this.acModels.length; k++) {
      const p = this.acModels[k];
      const sol = p.solveIfFits(net, opts);
      if (!sol) continue;
      if (k > 0) {
        this.acModels.splice(k, 1);
        this.acModels.unshift(p);
      }
      return sol;
    }
    return this.ac(net, reference).solve(net, opts);
  }
}

function solvePfDcCached(net: Network, cache: SolverCache): Solution {
  return solvePfDcWith(net, (n) => cache.dc(n));
}

/**
 * Solves one network for a task. With a cache, AC power flows of branch outages of
 * `reference` (the base grid) reuse its factorization pattern and start from its solution,
 * and DC power flows of single-branch outages that keep the network connected come from the
 * reference's factorization by LODF (islanding outages take the full path, which reports them). Numerical trouble (singular matrices, non-convergence,
 * infeasibility) comes back as a failed Solution, never as an exception; InputError passes through.
 */
export function solveNetwork(
  task: Task,
  net: Network,
  opts: SolveOptions = {},
  cache?: SolverCache,
  reference?: Network,
): Solution {
  const t0 = performance.now();
  try {
    if (task === 'pf_dc' && cache) {
      const fast = reference ? cache.dcOutage(net, reference) : null;
      if (fast) {
        fast.solveMs = performance.now() - t0;
        return fast;
      }
      return solvePfDcCached(net, cache);
    }
    if (task === 'pf_ac' && cache) return cache.solveAc(net, opts, reference);
    return solverFor(task)(net, opts);
  } catch (e) {
    if ((e instanceof InputError && !e.key) || e instanceof SolveStopped) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    return failedSolution(
      task,
      net.bus.n,
      net.gen.n,
      net.branch.n,
      `solver error: ${msg}`,
      [],
      0,
      performance.now() - t0,
    );
  }
}
