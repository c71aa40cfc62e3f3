/**
 * One entry point for every task. Solvers of the tasks that are not built in this file's
 * imports are looked up lazily, so a missing optional solver fails a job with a clear message.
 */
import { InputError } from '../errors';
import { Network } from './network';
import { loadHighs, solveOpfAc, solveOpfDc } from './opf';
import { prepareAcPf, PreparedAcPf, solvePfAc } from './pf-ac';
import { DcPfModel, prepareDcPf, solveDcPfPrepared } from './pf-dc';
import { failedSolution, Solution, SolveOptions, Task } from './solution';

type SolverFn = (net: Network, opts?: SolveOptions) => Solution;

function solverFor(task: Task): SolverFn {
  switch (task) {
    case 'pf_dc': return (net) => solveWithCache(net, new TopologyCache());
    case 'pf_ac': return solvePfAc;
    case 'opf_dc': return solveOpfDc;
    case 'opf_ac': return solveOpfAc;
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
export function topologyKey(net: Network): string {
  const { bus, gen, branch } = net;
  const parts: string[] = [];
  for (let i = 0; i < bus.n; i++) parts.push(String(bus.type[i]));
  parts.push('|');
  for (let g = 0; g < gen.n; g++) parts.push(gen.status[g] > 0 ? '1' : '0');
  parts.push('|');
  for (let l = 0; l < branch.n; l++) parts.push(`${branch.status[l]},${branch.x[l]},${branch.ratio[l]},${branch.angle[l]}`);
  return parts.join(' ');
}

/** Reuses DC factors across the time slices and load levels of one topology. */
export class TopologyCache {
  private readonly models = new Map<string, ReturnType<typeof prepareDcPf>>();
  /** AC solvers by structure, most recently used first (branch outages share one). */
  private readonly acModels: PreparedAcPf[] = [];
  constructor(private readonly capacity = 16) {}

  /** The model of net's topology, made on first use; the oldest goes past `capacity`. */
  private lookup<T>(models: Map<string, T>, net: Network, make: (net: Network) => T): T {
    const key = topologyKey(net);
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
   * AC: bus types, the Ybus and Jacobian patterns and the LU ordering of one structure;
   * branch outages of it are numeric variants of the same solver. `reference` is the base
   * case whose solution outage variants start from (default: the first network seen).
   */
  ac(net: Network, reference?: Network): PreparedAcPf {
    const k = this.acModels.findIndex((p) => p.fits(net));
    if (k >= 0) {
      const p = this.acModels[k];
      if (k > 0) { this.acModels.splice(k, 1); this.acModels.unshift(p); }
      return p;
    }
    const p = prepareAcPf(net, { reference: reference && reference.branch.n === net.branch.n ? reference : undefined });
    if (this.acModels.length >= this.capacity) this.acModels.pop();
    this.acModels.unshift(p);
    return p;
  }
}

function solveWithCache(net: Network, cache: TopologyCache): Solution {
  const t0 = performance.now();
  const p = cache.dc(net);
  if (!p.ok) return failedSolution('pf_dc', net.bus.n, net.gen.n, net.branch.n, p.error, p.isolatedBuses, 0, performance.now() - t0);
  const s = solveDcPfPrepared(net, p.model as DcPfModel);
  s.solveMs = performance.now() - t0;
  return s;
}

/**
 * Solves one network for a task. With a cache, AC power flows of branch outages of
 * `reference` (the base grid) reuse its factorization pattern and start from its solution. Numerical trouble (singular matrices, non-convergence,
 * infeasibility) comes back as a failed Solution, never as an exception; InputError passes through.
 */
export function solveNetwork(task: Task, net: Network, opts: SolveOptions = {}, cache?: TopologyCache, reference?: Network): Solution {
  const t0 = performance.now();
  try {
    if (task === 'pf_dc' && cache) return solveWithCache(net, cache);
    if (task === 'pf_ac' && cache) return cache.ac(net, reference).solve(net, opts);
    return solverFor(task)(net, opts);
  } catch (e) {
    if (e instanceof InputError && !e.key) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    return failedSolution(task, net.bus.n, net.gen.n, net.branch.n, `solver error: ${msg}`, [], 0, performance.now() - t0);
  }
}
