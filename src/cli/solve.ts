/**
 * `solve <case.m> --task T --out DIR`: one network, no Temporal. Writes the same tables as a
 * batch (scenario_id `base`, time null) so results of both can be compared row by row.
 */
import { relative, resolve } from 'node:path';
import { layout } from '../io/layout';
import { checkOutputLocation } from '../io/output-location';
import { writeParquetAtomic } from '../io/parquet';
import { jobIdOf, RESULT_TABLES, resultTable, SolvedJob } from '../io/result-tables';
import { applyScenario } from '../scenarios/apply';
import { resolveElementId } from '../scenarios/grid-ids';
import { Outage } from '../scenarios/types';
import { plainScenario } from '../scenarios/plain-scenario';
import { DEFAULT_ISLAND_MODE, IslandOutcome, isIslandMode, ISLAND_MODES } from '../solvers/islands';
import { readCaseFile } from '../grid/matpower-case';
import { Network } from '../grid/network';
import { isTask, Solution } from '../solvers/solution';
import { prepareSolvers } from '../solvers/solve';
import { solveJob } from '../solvers/solve-job';
import { EXIT, UsageError } from './exit';

export interface SolveArgs {
  casePath: string;
  task: string;
  out?: string;
  json?: boolean;
  /** elements taken out before solving: "branch:14", "gen:3", "bus:8" */
  outages?: string[];
  /** the island rule (default deenergize) */
  islands?: string;
}

/** "branch:14" / "gen:3" / "bus:8" (any id form a spec accepts after the colon) -> canonical outages. */
export function parseOutages(net: Network, specs: string[]): Outage[] {
  return specs.map((raw) => {
    const m = /^(branch|gen|bus)[:=](.+)$/i.exec(raw.trim());
    if (!m) throw new UsageError(`--outage must be branch:<row>, gen:<row> or bus:<number> (got '${raw}')`);
    const type = m[1].toLowerCase() as Outage['type'];
    const r = resolveElementId(net, type, m[2]);
    if (!r.ok) throw new UsageError(`--outage ${raw}: ${r.reason}`);
    return { type, id: r.id };
  });
}

export async function solveCase(
  a: SolveArgs,
): Promise<{ solution: Solution; files: string[]; islands: IslandOutcome }> {
  if (!isTask(a.task)) throw new UsageError(`--task must be one of pf_dc, pf_ac, opf_dc, opf_ac (got '${a.task}')`);
  const mode = a.islands ?? DEFAULT_ISLAND_MODE;
  if (!isIslandMode(mode)) throw new UsageError(`--islands must be one of ${ISLAND_MODES.join(', ')} (got '${mode}')`);
  const base = readCaseFile(resolve(a.casePath));
  // before solving: an --out that is a file, read-only or on a pseudo file system is exit 2, one line
  if (a.out) checkOutputLocation(resolve(a.out));
  const outages = parseOutages(base, a.outages ?? []);
  const input = outages.length === 0 ? base : applyScenario(base, plainScenario({ scenarioId: 'base', outages }), null);
  await prepareSolvers(a.task);
  const { net, solution, islands } = solveJob(a.task, input, mode);
  const files: string[] = [];
  if (a.out) {
    const out = resolve(a.out);
    const job: SolvedJob = {
      jobId: jobIdOf(a.task, 'base', null),
      scenarioId: 'base',
      time: null,
      net,
      solution,
      islands,
    };
    for (const table of RESULT_TABLES) {
      const cols = resultTable(table, a.task, [job]);
      if (table !== 'summary' && cols[0].data.length === 0) continue;
      const path = layout.resultPart(out, a.task, table, 'base', 0);
      writeParquetAtomic(path, cols);
      files.push(path);
    }
  }
  return { solution, files, islands };
}

export async function solveCommand(a: SolveArgs): Promise<number> {
  const { solution: s, files, islands } = await solveCase(a);
  if (a.json) {
    console.log(
      JSON.stringify(
        {
          task: s.task,
          converged: s.converged,
          iterations: s.iterations,
          solve_ms: s.solveMs,
          objective: s.objective,
          error: s.error,
          islanded_buses: islands.islandedBuses,
          load_lost_mw: s.converged ? islands.loadLostMw : null,
          gen_lost_mw: s.converged ? islands.genLostMw : null,
          files,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(
      `${s.task}: ${s.converged ? 'converged' : 'FAILED'} in ${s.iterations} iteration(s), ${s.solveMs.toFixed(2)} ms${s.objective !== null ? `, objective ${s.objective.toFixed(4)}` : ''}`,
    );
    if (islands.islandedBuses.length && s.converged) {
      console.log(
        `de-energized: ${islands.islandedBuses.length} bus(es) (${islands.islandedBuses.slice(0, 20).join(', ')}${islands.islandedBuses.length > 20 ? ', ...' : ''}), load lost ${islands.loadLostMw.toFixed(3)} MW, generation lost ${islands.genLostMw.toFixed(3)} MW`,
      );
    }
    if (s.error) console.log(`error: ${s.error}`);
    for (const f of files) console.log(`wrote ${relative(process.cwd(), f)}`);
  }
  return s.converged ? EXIT.OK : EXIT.JOBS_FAILED;
}
