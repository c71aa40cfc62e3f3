/**
 * What every solver returns: one shape for pf_dc, pf_ac, opf_dc and opf_ac, so that
 * result tables, manifests and features are written by one code path.
 * Arrays are in the row order of the case file; units are MATPOWER's (MW, MVAr, p.u., degrees).
 */
export { isTask, TASKS } from '../contracts/tasks';
import type { Task } from '../contracts/tasks';
export type { Task };

export interface BusSolution {
  vm: Float64Array;
  vaDeg: Float64Array;
  /** Net injection (generation - load), MW / MVAr; AC tasks. */
  pMw?: Float64Array;
  qMvar?: Float64Array;
  /** Locational marginal price of active power, $/MWh; OPF tasks. */
  lamP?: Float64Array;
  lamQ?: Float64Array;
}

export interface Solution {
  task: Task;
  /** true when the solver met its tolerance; a false solution is a failed job. */
  converged: boolean;
  iterations: number;
  solveMs: number;
  /** OPF objective ($/h); null for power flow. */
  objective: number | null;
  /** Why the solve failed; null when converged. */
  error: string | null;
  bus: BusSolution;
  gen: { pg: Float64Array; qg: Float64Array };
  branch: { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array };
  /** Bus numbers left out of the solve (isolated or out of service). */
  isolatedBuses: number[];
}

/** Options shared by the solvers; each solver reads what applies to it. */
export interface SolveOptions {
  /** AC PF: reactive limits as MATPOWER's pf.enforce_q_lims (0 off, 1 all at once, 2 one at a time). */
  enforceQLims?: 0 | 1 | 2;
  /** AC PF: tolerance on the mismatch infinity norm (p.u.). */
  tol?: number;
  maxIt?: number;
  /** Warm start: voltage magnitudes / angles (degrees) by bus row, e.g. the previous time slice. */
  start?: { vm: Float64Array; vaDeg: Float64Array };
}

/** A solution's result arrays (bus, generator and branch columns), as they are filled. */
export interface SolutionArrays {
  bus: { vm: Float64Array; vaDeg: Float64Array; pMw: Float64Array; qMvar: Float64Array };
  gen: { pg: Float64Array; qg: Float64Array };
  branch: { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array };
}

/**
 * Zeroed result arrays of one AC power-flow solution, views of one buffer (one allocation
 * per solve instead of ten); each column is its own view, writing one never touches another.
 */
export function solutionArrays(nb: number, ng: number, nl: number): SolutionArrays {
  const buf = new Float64Array(4 * nb + 2 * ng + 4 * nl);
  let off = 0;
  const take = (n: number) => buf.subarray(off, (off += n));
  return {
    bus: { vm: take(nb), vaDeg: take(nb), pMw: take(nb), qMvar: take(nb) },
    gen: { pg: take(ng), qg: take(ng) },
    branch: { pf: take(nl), qf: take(nl), pt: take(nl), qt: take(nl) },
  };
}

/** A failed solution with NaN results, for jobs that could not be solved. */
export function failedSolution(
  task: Task,
  nb: number,
  ng: number,
  nl: number,
  error: string,
  isolatedBuses: number[] = [],
  iterations = 0,
  solveMs = 0,
): Solution {
  const nan = (n: number) => new Float64Array(n).fill(NaN);
  return {
    task,
    converged: false,
    iterations,
    solveMs,
    objective: null,
    error,
    bus: { vm: nan(nb), vaDeg: nan(nb) },
    gen: { pg: nan(ng), qg: nan(ng) },
    branch: { pf: nan(nl), qf: nan(nl), pt: nan(nl), qt: nan(nl) },
    isolatedBuses,
  };
}
