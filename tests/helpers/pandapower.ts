/**
 * pandapower as the reference for the island rule (tests/python/pandapower_pf.py, test-side only;
 * `python3 -m pip install pandapower`; tests/helpers/requirements.ts gates the tests that need it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BRANCH_COLS, BUS_COLS, GEN_COLS, Network } from '../../src/grid/network';

export const PANDAPOWER_SCRIPT = resolve(__dirname, '..', 'python', 'pandapower_pf.py');

export interface PandapowerResult {
  vm: (number | null)[];
  va: (number | null)[];
  pf: (number | null)[];
  qf: (number | null)[];
  pt: (number | null)[];
  qt: (number | null)[];
  /** OPF tasks: generation per gen row (MW) and the objective ($/h) */
  pg?: (number | null)[];
  objective?: number;
}

/** The case as MATPOWER rows (outaged elements marked in their status / type columns). */
export function caseRows(net: Network): {
  baseMVA: number;
  bus: number[][];
  gen: number[][];
  branch: number[][];
  gencost: number[][];
} {
  const rows = <T extends { n: number }>(t: T, cols: readonly string[]) =>
    Array.from({ length: t.n }, (_, i) => cols.map((c) => (t as unknown as Record<string, Float64Array>)[c][i]));
  const gencost = net.gencost.map((c) => [
    c.model,
    c.startup,
    c.shutdown,
    c.model === 2 ? c.coeffs.length : c.coeffs.length / 2,
    ...c.coeffs,
  ]);
  return {
    baseMVA: net.baseMVA,
    bus: rows(net.bus, BUS_COLS),
    gen: rows(net.gen, GEN_COLS),
    branch: rows(net.branch, BRANCH_COLS),
    gencost,
  };
}

export interface PandapowerJob {
  net: Network;
  task: 'pf_ac' | 'pf_dc' | 'opf_dc' | 'opf_ac';
  /** buses whose generators are the slack of their island */
  slackBuses?: number[];
}

/** runpp (pf_ac) or rundcpp (pf_dc) of each job, in one python process (importing pandapower takes seconds). */
export function pandapowerPf(jobs: PandapowerJob[]): PandapowerResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'gb-pp-'));
  try {
    const file = join(dir, 'jobs.json');
    writeFileSync(
      file,
      JSON.stringify(jobs.map((j) => ({ case: caseRows(j.net), task: j.task, slack_buses: j.slackBuses ?? [] }))),
    );
    const r = spawnSync('python3', [PANDAPOWER_SCRIPT, file], {
      encoding: 'utf8',
      timeout: 300_000,
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`pandapower_pf.py failed: ${r.error?.message ?? r.stderr}`);
    return JSON.parse(r.stdout) as PandapowerResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
