/**
 * `solve <case.m> --task T --out DIR`: one network, no Temporal. Writes the same tables as a
 * batch (scenario_id `base`, time null) so results of both can be compared row by row.
 */
import { relative, resolve } from 'node:path';
import { layout } from '../io/layout';
import { checkOutputLocation } from '../io/output-location';
import { writeParquetAtomic } from '../io/parquet';
import { jobIdOf, RESULT_TABLES, resultTable, SolvedJob } from '../io/result-tables';
import { readCaseFile } from '../solvers/matpower-case';
import { isTask, Solution } from '../solvers/solution';
import { prepareSolvers, solveNetwork } from '../solvers/solve';
import { EXIT, UsageError } from './exit';

export interface SolveArgs {
  casePath: string;
  task: string;
  out?: string;
  json?: boolean;
}

export async function solveCase(a: SolveArgs): Promise<{ solution: Solution; files: string[] }> {
  if (!isTask(a.task)) throw new UsageError(`--task must be one of pf_dc, pf_ac, opf_dc, opf_ac (got '${a.task}')`);
  const net = readCaseFile(resolve(a.casePath));
  // before solving: an --out that is a file, read-only or on a pseudo file system is exit 2, one line
  if (a.out) checkOutputLocation(resolve(a.out));
  await prepareSolvers(a.task);
  const solution = solveNetwork(a.task, net);
  const files: string[] = [];
  if (a.out) {
    const out = resolve(a.out);
    const job: SolvedJob = { jobId: jobIdOf(a.task, 'base', null), scenarioId: 'base', time: null, net, solution };
    for (const table of RESULT_TABLES) {
      const cols = resultTable(table, a.task, [job]);
      if (table !== 'summary' && cols[0].data.length === 0) continue;
      const path = layout.resultPart(out, a.task, table, 'base', 0);
      writeParquetAtomic(path, cols);
      files.push(path);
    }
  }
  return { solution, files };
}

export async function solveCommand(a: SolveArgs): Promise<number> {
  const { solution: s, files } = await solveCase(a);
  if (a.json) {
    console.log(JSON.stringify({ task: s.task, converged: s.converged, iterations: s.iterations, solve_ms: s.solveMs, objective: s.objective, error: s.error, files }, null, 2));
  } else {
    console.log(`${s.task}: ${s.converged ? 'converged' : 'FAILED'} in ${s.iterations} iteration(s), ${s.solveMs.toFixed(2)} ms${s.objective !== null ? `, objective ${s.objective.toFixed(4)}` : ''}`);
    if (s.error) console.log(`error: ${s.error}`);
    for (const f of files) console.log(`wrote ${relative(process.cwd(), f)}`);
  }
  return s.converged ? EXIT.OK : EXIT.JOBS_FAILED;
}
