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
let slab = new ArrayBuffer(0);
let slabUsed = 0;

/**
 * Result arrays of one AC power-flow solution, each column its own view of consecutive doubles
 * of a slab (one carve per solve instead of ten buffers; writing one column never touches
 * another), made with the Float64Array constructor on the slab's buffer (~15 ns a view against
 * ~33 for subarray, which looks up the species constructor). Not zeroed: the caller writes every
 * entry. A solution too large for a slab's eighth gets a buffer of its own.
 */
export function solutionArrays(nb: number, ng: number, nl: number): SolutionArrays {
  const n = 4 * nb + 2 * ng + 4 * nl;
  let buffer: ArrayBuffer;
  let at = 0;
  if (n > SLAB_DOUBLES >> 3) buffer = new ArrayBuffer(8 * n);
  else {
    if (8 * (slabUsed + n) > slab.byteLength) {
      slab = Buffer.allocUnsafeSlow(8 * SLAB_DOUBLES).buffer;
      slabUsed = 0;
    }
    buffer = slab;
    at = 8 * slabUsed;
    slabUsed += n;
  }
  const view = (len: number): Float64Array => {
    const v = new Float64Array(buffer, at, len);
    at += 8 * len;
    return v;
  };
  return {
    bus: { vm: view(nb), vaDeg: view(nb), pMw: view(nb), qMvar: view(nb) },
    gen: { pg: view(ng), qg: view(ng) },
    branch: { pf: view(nl), qf: view(nl), pt: view(nl), qt: view(nl) },
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
