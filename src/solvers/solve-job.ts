/**
 * One job as a batch or `solve` runs it: the island rule (islands.ts) on the job's network, the
 * task's solver on the energized part, and the de-energized part written into the solution.
 */
import {
  deenergizeSolution,
  DEFAULT_ISLAND_MODE,
  IslandMode,
  IslandOutcome,
  IslandPlanCache,
  planIslands,
} from './islands';
import { Network } from '../grid/network';
import { failedSolution, Solution, SolveOptions, Task } from './solution';
import { solveNetwork, SolverCache } from './solve';

export interface SolvedNetwork {
  /** the network the solver ran on: de-energized buses are type NONE, their branches and generators out */
  net: Network;
  solution: Solution;
  islands: IslandOutcome;
}

/** What a batch shares between its jobs: solver structures and island plans, and the base grid. */
export interface JobContext {
  cache?: SolverCache;
  /** the network the job's network was derived from (the batch's base grid): the cache's outage paths reuse its structure */
  reference?: Network;
  islandCache?: IslandPlanCache;
}

export function solveJob(
  task: Task,
  net: Network,
  mode: IslandMode = DEFAULT_ISLAND_MODE,
  opts: SolveOptions = {},
  ctx: JobContext = {},
): SolvedNetwork {
  const t0 = performance.now();
  const plan = ctx.islandCache ? ctx.islandCache.plan(net, mode) : planIslands(net, mode);
  if (!plan.ok) {
    const solution = failedSolution(
      task,
      net.bus.n,
      net.gen.n,
      net.branch.n,
      plan.error,
      plan.cutOff,
      0,
      performance.now() - t0,
    );
    return { net, solution, islands: { islandedBuses: plan.cutOff, loadLostMw: 0, genLostMw: 0, addedReferences: [] } };
  }
  const solution = deenergizeSolution(solveNetwork(task, plan.net, opts, ctx.cache, ctx.reference), plan);
  return { net: plan.net, solution, islands: plan.outcome };
}
