/**
 * Runs tests/python/check_gnn_tables.py on a featurized batch, with the expected values of some
 * graphs from direct solves (needs pyarrow and numpy: tests/helpers/requirements.ts).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Row } from '../../src/io/read-results';
import { openStudy } from '../../src/io/study';
import { applyScenario } from '../../src/scenarios/apply';
import { solveNetwork } from '../../src/solvers/solve';

export const SCRIPT = resolve(__dirname, '..', 'python', 'check_gnn_tables.py');

/** expected.json for the graphs given: the solver's vm, va and from-end flows of each, cold-started. */
export function writeExpected(out: string, graphs: Row[]): string {
  const study = openStudy(out);
  const exp: { task: string; graphs: Record<string, unknown> } = { task: study.task, graphs: {} };
  for (const g of graphs) {
    const sc = [...study.scenarios()].find((s) => s.scenarioId === g.scenario_id)!;
    const net = applyScenario(study.base, sc, g.time as string | null, study.profiles);
    const s = solveNetwork(study.task, net);
    const on = [...Array(net.branch.n).keys()].filter((l) => net.branch.status[l] !== 0);
    exp.graphs[String(g.graph_id)] = {
      num_nodes: net.bus.n,
      num_edges: on.length,
      bus_ids: Array.from(net.bus.busI),
      edges: on.map((l) => [net.branch.fbus[l], net.branch.tbus[l]]),
      vm: Array.from(s.bus.vm),
      va: Array.from(s.bus.vaDeg),
      pf: on.map((l) => s.branch.pf[l]),
    };
  }
  const path = join(out, 'features', 'expected.json');
  writeFileSync(path, JSON.stringify(exp));
  return path;
}

export function runPythonCheck(
  out: string,
  expected: string,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('python3', [SCRIPT, out, expected], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
