/**
 * The tables one part of a case118 batch writes, for bench/parquet-write.ts: `jobs` pf_dc or
 * pf_ac solves of case118 with every load scaled by its own seeded factor (one time slice per
 * scenario, as a GAT-format spec), turned into the bus, branch, gen and summary tables
 * (src/io/result-tables.ts) and the part's job records (as src/activities/part-runner.ts builds
 * them), so the writers see the values, nulls and repeated strings a real part has.
 */
import { join } from 'node:path';
import { readCaseFile } from '../src/grid/matpower-case';
import { cloneNetwork } from '../src/grid/network';
import { jobRecordOf } from '../src/io/job-records';
import { ManifestColumnsBuilder } from '../src/io/manifest-columns';
import type { Column } from '../src/io/parquet';
import { jobIdOf, RESULT_TABLES, resultTable, SolvedJob } from '../src/io/result-tables';
import { solvePfAc } from '../src/solvers/pf-ac';
import { solvePfDc } from '../src/solvers/pf-dc';
import type { Task } from '../src/solvers/solution';

export interface BenchTable {
  name: string;
  columns: Column[];
}

/** A small deterministic generator (mulberry32), so every run writes the same values. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The part's tables, and the CPU ms its solves took (cold solves of one-slice scenarios, for scale). */
export function partTables(
  task: Extract<Task, 'pf_dc' | 'pf_ac'>,
  jobs: number,
): { tables: BenchTable[]; solveCpuMs: number } {
  const base = readCaseFile(join(__dirname, '..', 'tests', 'fixtures', 'cases', 'case118.m'));
  const rand = random(118);
  const solved: SolvedJob[] = [];
  let solveCpuMs = 0;
  for (let k = 0; k < jobs; k++) {
    const net = cloneNetwork(base);
    const f = 0.8 + 0.4 * rand();
    for (let i = 0; i < net.bus.n; i++) {
      net.bus.Pd[i] *= f;
      net.bus.Qd[i] *= f;
    }
    const scenarioId = `s${String(k).padStart(5, '0')}`;
    const time = '2025-01-01T00:00:00Z';
    const c0 = process.cpuUsage();
    const solution = task === 'pf_dc' ? solvePfDc(net) : solvePfAc(net);
    const u = process.cpuUsage(c0);
    solveCpuMs += (u.user + u.system) / 1000;
    solved.push({ jobId: jobIdOf(task, scenarioId, time), scenarioId, time, net, solution });
  }
  const tables: BenchTable[] = RESULT_TABLES.map((t) => ({ name: t, columns: resultTable(t, task, solved) }));
  const outputs = RESULT_TABLES.map((table) => ({
    table,
    path: `results/${task}/${table}/bucket=0000/part-00000-00000.parquet`,
    sha256: 'f'.repeat(64),
  }));
  const records = new ManifestColumnsBuilder();
  solved.forEach((j, k) => records.add({ ...jobRecordOf(j, outputs), scenario_index: k, chunk: 0 } as never));
  tables.push({ name: 'records', columns: records.columns().columns });
  return { tables, solveCpuMs };
}
