/**
 * One solved job as featurize sees it: its network (the scenario's own) and its result rows,
 * indexed by bus number, branch row and generator row.
 */
import { ResolvedScenario } from '../scenarios/types';
import { Network } from '../grid/network';
import { Task } from '../solvers/solution';
import { cellNum, Row } from '../io/read-results';
import { Split } from './splits';

export interface JobGraph {
  graphId: number;
  jobId: string;
  scenario: ResolvedScenario;
  time: string | null;
  task: Task;
  /** the split of the job's scenario (splits.ts) */
  split: Split;
  net: Network;
  objective: number | null;
  /** the solver's time for this job (summary.solve_ms) */
  solveMs: number | null;
  /** 'failed' only when featurize keeps failed jobs: then the result maps are empty */
  status: 'ok' | 'failed';
  error: string | null;
  bus: Map<number, Row>;
  branch: Map<number, Row>;
  gen: Map<number, Row>;
}

export const isAcTask = (t: Task): boolean => t === 'pf_ac' || t === 'opf_ac';
export const isOpfTask = (t: Task): boolean => t === 'opf_dc' || t === 'opf_ac';

export function indexRows(rows: Row[] | undefined, key: string): Map<number, Row> {
  const m = new Map<number, Row>();
  for (const r of rows ?? []) m.set(Number(r[key]), r);
  return m;
}

/** Solved generation per bus row (sums over in-service generators), MW and MVAr. */
export function solvedGenPerBus(j: JobGraph): { pg: Float64Array; qg: Float64Array } {
  const pg = new Float64Array(j.net.bus.n);
  const qg = new Float64Array(j.net.bus.n);
  const g = j.net.gen;
  for (let k = 0; k < g.n; k++) {
    if (!(g.status[k] > 0)) continue;
    const i = j.net.busIndex.get(g.bus[k]);
    const r = j.gen.get(k + 1);
    if (i === undefined || !r) continue;
    pg[i] += cellNum(r, 'pg_mw') ?? 0;
    qg[i] += cellNum(r, 'qg_mvar') ?? 0;
  }
  return { pg, qg };
}

/**
 * Net active injection per bus row (MW). AC tasks: the solver's p_mw. DC tasks: Pg - Pd - Gs
 * (MATPOWER's DC model: Gs is a load at 1 p.u. voltage), which equals the sum of the branch flows
 * leaving the bus.
 */
export function netInjectionMw(j: JobGraph, pgPerBus: Float64Array): (number | null)[] {
  const out: (number | null)[] = [];
  const b = j.net.bus;
  for (let i = 0; i < b.n; i++) {
    if (isAcTask(j.task)) out.push(cellNum(j.bus.get(b.busI[i]), 'p_mw'));
    else out.push(b.type[i] === 4 || j.status !== 'ok' ? null : pgPerBus[i] - b.Pd[i] - b.Gs[i]);
  }
  return out;
}
