/**
 * The jobs of one scenario as featurize sees them (JobGraph): its network at each time slice,
 * rebuilt as the chunk runner built it, and the job's result rows, in time-slice order.
 */
import { JobGraph, indexRows } from './job-graph';
import { cellNum, readScenarioResults, timeKey } from '../io/read-results';
import { Split } from './splits';
import { graphIdOf, jobTimes, ScenarioNetworks, Study } from '../io/study';

/**
 * The solved jobs of scenario k as graphs, in time-slice order; with keepFailed also the jobs
 * that failed (infeasible, not converged), status 'failed' and no solved values.
 */
export async function scenarioGraphs(
  study: Study,
  k: number,
  splits: Map<string, Split>,
  keepFailed = false,
): Promise<JobGraph[]> {
  const s = study.scenario(k);
  const res = await readScenarioResults(study.outDir, study.task, s.scenarioId);
  const slice = new Map(jobTimes(s).map((t, i) => [timeKey(t), i]));
  const nets = new ScenarioNetworks(study, s);
  const out: JobGraph[] = [];
  for (const row of res.summary) {
    const ok = row.status === 'ok';
    if (!ok && !(keepFailed && row.status === 'failed')) continue;
    const time = (row.time as string | null) ?? null;
    const i = slice.get(timeKey(time));
    if (i === undefined)
      throw new Error(`results of ${s.scenarioId} hold time ${time}, which is not one of its slices`);
    out.push({
      graphId: graphIdOf(study, k, i),
      jobId: String(row.job_id),
      scenario: s,
      time,
      task: study.task,
      net: nets.at(time),
      split: splits.get(s.scenarioId) ?? 'train',
      objective: cellNum(row, 'objective'),
      solveMs: cellNum(row, 'solve_ms'),
      status: ok ? 'ok' : 'failed',
      error: ok ? null : String(row.error ?? ''),
      bus: indexRows(ok ? res.bus.get(timeKey(time)) : [], 'bus_id'),
      branch: indexRows(ok ? res.branch.get(timeKey(time)) : [], 'branch_index'),
      gen: indexRows(ok ? res.gen.get(timeKey(time)) : [], 'gen_index'),
    });
  }
  return out.sort((a, b) => a.graphId - b.graphId);
}
