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
 * Result arrays are carved out of shared slabs: a fresh ArrayBuffer per solve (13 KB on
 * case118) costs more than a warm case118 outage's whole pfsoln, mostly in the garbage collector
 * (every backing store is external memory, and external allocations drive collections), so
 * solves take consecutive views of one slab and a new slab is made when one is used up.
 * A slab lives while any solution in it is referenced: a kept solution holds up to SLAB_BYTES.
 * Slabs are not zeroed (Buffer.allocUnsafeSlow): the AC power flow writes every entry of its
 * result arrays (pfsoln: generators and branches; assembleAcSolution: buses) before it returns
 * them, and zeroing 1 MB every ~100 case118 solves cost ~0.3 us a solve (loop alone).
 */
const SLAB_DOUBLES = 1 << 17; // 1 MB
let slab = new Float64Array(0);
let slabUsed = 0;

/** `n` doubles of their own, not zeroed (a view of a slab, or a buffer of their own when large). */
function resultBlock(n: number): Float64Array {
  if (n > SLAB_DOUBLES >> 3) return new Float64Array(n);
  if (slabUsed + n > slab.length) {
    slab = new Float64Array(Buffer.allocUnsafeSlow(8 * SLAB_DOUBLES).buffer, 0, SLAB_DOUBLES);
    slabUsed = 0;
  }
  const b = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += n;
  return b;
}

/**
 * Result arrays of one AC power-flow solution, views of one block (one slab carve per solve
 * instead of ten buffers); each column is its own view, writing one never touches another. Not
 * zeroed: the caller writes every entry.
 */
export function solutionArrays(nb: number, ng: number, nl: number): SolutionArrays {
  const buf = resultBlock(4 * nb + 2 * ng + 4 * nl);
  const g = 4 * nb,
    l = g + 2 * ng;
  return {
    bus: {
      vm: buf.subarray(0, nb),
      vaDeg: buf.subarray(nb, 2 * nb),
      pMw: buf.subarray(2 * nb, 3 * nb),
      qMvar: buf.subarray(3 * nb, g),
    },
    gen: { pg: buf.subarray(g, g + ng), qg: buf.subarray(g + ng, l) },
    branch: {
      pf: buf.subarray(l, l + nl),
      qf: buf.subarray(l + nl, l + 2 * nl),
      pt: buf.subarray(l + 2 * nl, l + 3 * nl),
      qt: buf.subarray(l + 3 * nl, l + 4 * nl),
    },
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
