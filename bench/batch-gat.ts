/**
 * GAT (monistowl/gat, Rust) as bench:batch's peer for the GAT-format pair: its own pipeline on
 * the same 1,000 one-slice case118 scenarios, run side by side with ours (ANCHORS.md "GAT"):
 * `gat-cli import matpower` once, then per run `scenarios materialize` and `batch pf --mode dc`,
 * each timed on its own. Benchmark only, detected at run time, never a dependency (GAT is
 * PolyForm Shield: built and run, never copied): GAT_CLI, else ~/.cache/gat-src's release
 * build, else `gat-cli` on PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CASE, writeGatSpec, writeSlicesSpec } from './batch-specs';
import { childrenCpuSeconds, load1, median } from './batch-measure';
import { cliRun, Ctx } from './batch-cli';
import { startStandingWorker } from './batch-standing-worker';
import { mergeTimeline, timelineLine, workflowTimeline } from './batch-timeline';

/** The gat-cli binary to run, or why there is none (one line). */
export function findGat(): { bin: string } | { missing: string } {
  const env = process.env.GAT_CLI;
  if (env) return existsSync(env) ? { bin: env } : { missing: `GAT_CLI=${env} does not exist` };
  const built = join(homedir(), '.cache', 'gat-src', 'target', 'release', 'gat-cli');
  if (existsSync(built)) return { bin: built };
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'gat-cli');
    if (dir && existsSync(p)) return { bin: p };
  }
  return { missing: `GAT not found (set GAT_CLI, build ${built}, or put gat-cli on PATH): GAT columns skipped` };
}

export interface GatRun {
  load: number;
  materializeS: number;
  batchS: number;
  /** CPU seconds (user + system) of `batch pf` */
  batchCpuS: number;
  jobs: number;
  success: number;
  failure: number;
}

function run(bin: string, args: string[]): { wall: number; cpu: number } {
  const cpu0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0)
    throw new Error(`gat-cli ${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { wall, cpu: childrenCpuSeconds() - cpu0 };
}

/** GAT's grid (its Arrow import of case118.m) and its copy of the spec pointing at it, once per bench. */
export function prepareGat(bin: string, dir: string, spec: string): { spec: string; grid: string } {
  mkdirSync(dir, { recursive: true });
  const grid = join(dir, 'case118.arrow');
  if (!existsSync(grid)) run(bin, ['import', 'matpower', '--m', CASE, '-o', grid]);
  const gatSpec = join(dir, 'gat-spec.yaml');
  writeFileSync(gatSpec, readFileSync(spec, 'utf8').replace(/^grid_file: .*$/m, `grid_file: ${grid}`));
  return { spec: gatSpec, grid };
}

/** One GAT run: materialize the scenarios, then `batch pf --mode dc` over their manifest. */
export function gatRun(bin: string, prepared: { spec: string; grid: string }, out: string): GatRun {
  rmSync(out, { recursive: true, force: true });
  const load = load1();
  const scen = join(out, 'scenarios');
  const m = run(bin, ['scenarios', 'materialize', '--spec', prepared.spec, '--grid-file', prepared.grid, '-d', scen]);
  const b = run(bin, [
    'batch',
    'pf',
    '--manifest',
    join(scen, 'scenario_manifest.json'),
    '--out',
    join(out, 'batch'),
    '--mode',
    'dc',
  ]);
  const manifest = JSON.parse(readFileSync(join(out, 'batch', 'batch_manifest.json'), 'utf8')) as {
    num_jobs: number;
    success: number;
    failure: number;
  };
  return {
    load,
    materializeS: m.wall,
    batchS: b.wall,
    batchCpuS: b.cpu,
    jobs: manifest.num_jobs,
    success: manifest.success,
    failure: manifest.failure,
  };
}

/**
 * The GAT-format pair, alternating run by run: our 1,000 one-slice scenarios end to end
 * (`start-batch`), the same jobs as one scenario of 1,000 slices, and GAT's materialize +
 * `batch pf`; medians and ratios (ours / theirs).
 */
export async function gatPair(
  c: Ctx,
  dir: string,
  n: number,
  repeat: number,
  standingAddress?: string,
  /** also run the scenarios self-started with this many solve threads (GRIDBATCH_SOLVE_THREADS) */
  threads?: string,
) {
  mkdirSync(dir, { recursive: true });
  const scenarios = writeGatSpec(dir, n);
  const slices = writeSlicesSpec(dir, n);
  const found = findGat();
  if ('missing' in found) console.error(found.missing);
  const prepared = 'bin' in found ? prepareGat(found.bin, join(dir, 'gat'), scenarios) : undefined;
  const g: ReturnType<typeof cliRun>[] = [];
  const s: ReturnType<typeof cliRun>[] = [];
  const t: GatRun[] = [];
  // start-batch against an already running `gridbatch worker` (bench/batch-standing-worker.ts)
  const w: { wall: number; cpu: number }[] = [];
  const v: ReturnType<typeof cliRun>[] = [];
  const threadsCtx = threads ? { ...c, env: { ...c.env, GRIDBATCH_SOLVE_THREADS: threads } } : undefined;
  const standing = standingAddress ? await startStandingWorker(c, standingAddress) : undefined;
  try {
    for (let k = 0; k < repeat; k++) {
      g.push(cliRun(c, scenarios, join(dir, `scenarios-${k}`), 'pf_dc'));
      s.push(cliRun(c, slices, join(dir, `slices-${k}`), 'pf_dc'));
      if (prepared && 'bin' in found) t.push(gatRun(found.bin, prepared, join(dir, 'gat', `run-${k}`)));
      if (threadsCtx) v.push(cliRun(threadsCtx, scenarios, join(dir, `threads-${k}`), 'pf_dc'));
      if (standing) {
        const cpu0 = standing.cpu();
        const r = cliRun(standing.ctx, scenarios, join(dir, `standing-${k}`), 'pf_dc');
        w.push({ wall: r.wall, cpu: r.cliCpu + r.serverCpu + (standing.cpu() - cpu0) });
      }
    }
  } finally {
    await standing?.stop();
  }
  const ours = median(g.map((x) => x.wall));
  const last = g[g.length - 1];
  const timeline = mergeTimeline(
    last.marks,
    await workflowTimeline(c.client, last.batchId, last.spawnedAtMs),
    last.wall,
  );
  const gatBatch = t.length ? median(t.map((x) => x.batchS)) : NaN;
  const gatMaterialize = t.length ? median(t.map((x) => x.materializeS)) : NaN;
  const stages = (x: ReturnType<typeof cliRun>) =>
    Object.fromEntries(Object.entries(x.stages).map(([k, v]) => [k, `${v.wall.toFixed(2)} / ${v.cpu.toFixed(2)}`]));
  return {
    jobs: n,
    cli: c.cli,
    partitionBy: c.partitionBy ?? 'auto',
    runs: repeat,
    load: Math.max(...g.map((x) => x.load), ...s.map((x) => x.load), ...t.map((x) => x.load)),
    scenariosWallS: ours,
    /** the first run of the 1,000 scenarios, the only one whose CLI parses the spec (later runs reuse the parse) */
    scenariosFirstWallS: g[0].wall,
    slicesWallS: median(s.map((x) => x.wall)),
    wallRatio: ours / median(s.map((x) => x.wall)),
    scenariosCpuS: median(g.map((x) => x.cliCpu + x.serverCpu)),
    slicesCpuS: median(s.map((x) => x.cliCpu + x.serverCpu)),
    /** `start-batch`'s stages (wall / CPU s) in the last run of the 1,000 scenarios */
    scenariosStages: stages(g[g.length - 1]),
    /** that run's timeline, s since the CLI was spawned (bench/batch-timeline.ts) */
    scenariosTimeline: timeline,
    scenariosLastCpuS: last.cliCpu,
    scenariosLastServerCpuS: last.serverCpu,
    /** the same 1,000 scenarios by start-batch against an already running `gridbatch worker` (NaN: not run) */
    standingWorkerWallS: w.length ? median(w.map((x) => x.wall)) : NaN,
    /** its CPU: the CLI + the dev server + the standing worker during the run */
    standingWorkerCpuS: w.length ? median(w.map((x) => x.cpu)) : NaN,
    ok: g[0].ok,
    failed: g[0].failed,
    gat: 'bin' in found ? found.bin : found.missing,
    gatBatchPfS: gatBatch,
    gatMaterializeS: gatMaterialize,
    gatBatchPfCpuS: t.length ? median(t.map((x) => x.batchCpuS)) : NaN,
    gatOk: t.length ? t[0].success : NaN,
    gatFailed: t.length ? t[0].failure : NaN,
    /** our end to end / GAT's batch pf, and / its materialize + batch pf */
    vsGatBatchPf: ours / gatBatch,
    vsGatMaterializeAndBatchPf: ours / (gatBatch + gatMaterialize),
    /** the scenarios self-started with --gat-threads solve threads (NaN: not run): wall, CPU (CLI + server), / GAT batch pf */
    threads: threads ?? 'n/a',
    threadsWallS: v.length ? median(v.map((x) => x.wall)) : NaN,
    threadsCpuS: v.length ? median(v.map((x) => x.cliCpu + x.serverCpu)) : NaN,
    threadsVsGatBatchPf: (v.length ? median(v.map((x) => x.wall)) : NaN) / gatBatch,
    standingWorkerVsGatBatchPf: (w.length ? median(w.map((x) => x.wall)) : NaN) / gatBatch,
  };
}

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The pair as a Markdown table (one row). */
export function gatTable(p: Awaited<ReturnType<typeof gatPair>>): string {
  return [
    `GAT-format pair: ${p.jobs.toLocaleString('en')} one-slice case118 scenarios, pf_dc, medians of ${p.runs} alternating run(s), load ${p.load}; GAT: ${p.gat}`,
    '| ours: scenarios s | ours: first run s | ours: one scenario, slices s | pair ratio | GAT batch pf s | GAT materialize s | ours / GAT batch pf | ours / GAT materialize + batch pf | ok | GAT ok |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${f(p.scenariosWallS)} | ${f(p.scenariosFirstWallS)} | ${f(p.slicesWallS)} | ${f(p.wallRatio)} | ${f(p.gatBatchPfS)} | ${f(p.gatMaterializeS)} | ${f(p.vsGatBatchPf)} | ${f(p.vsGatMaterializeAndBatchPf)} | ${p.ok} | ${Number.isFinite(p.gatOk) ? p.gatOk : 'n/a'} |`,
    '',
    `Timeline of the last run of the scenarios (s since the CLI was spawned; CPU s: CLI ${f(p.scenariosLastCpuS)}, dev server ${f(p.scenariosLastServerCpuS)}): ${timelineLine(p.scenariosTimeline)}`,
    ...(Number.isFinite(p.threadsWallS)
      ? [
          '',
          `The same self-started run with ${p.threads} solve thread(s) (GRIDBATCH_SOLVE_THREADS), alternating with the others`,
          '| wall s | CPU s (CLI + server) | / GAT batch pf |',
          '|---|---|---|',
          `| ${f(p.threadsWallS)} | ${f(p.threadsCpuS)} | ${f(p.threadsVsGatBatchPf)} |`,
        ]
      : []),
    ...(Number.isFinite(p.standingWorkerWallS)
      ? [
          '',
          `Beside it (not instead): the same ${p.jobs.toLocaleString('en')} scenarios by start-batch against an already running \`gridbatch worker\` (TEMPORAL_ADDRESS set; the CLI validates, starts and waits)`,
          '| ours, running worker: wall s | CPU s (CLI + server + worker) | / GAT batch pf |',
          '|---|---|---|',
          `| ${f(p.standingWorkerWallS)} | ${f(p.standingWorkerCpuS)} | ${f(p.standingWorkerVsGatBatchPf)} |`,
        ]
      : []),
  ].join('\n');
}
