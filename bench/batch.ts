/**
 * `npm run bench:batch`: case118 batches through Temporal vs the same work in a plain loop.
 *
 *   npm run bench:batch                              # 1,000 / 10,000 / 100,000 pf_dc and 10,000 pf_ac
 *   npm run bench:batch -- --runs pf_dc:1000,pf_ac:10000
 *   npm run bench:batch -- --runs pf_ac:10000 --local-activities never   # chunks as regular activities
 *   npm run bench:batch -- --runs opf_ac:10008 --feature-layout gridfm --skip-plain   # a training set, featurize included
 *
 * Each batch: 24 hourly slices per scenario driven by a daily load profile, scenarios from seeded
 * load perturbations (N = jobs / 24). Temporal: a dedicated dev server (SQLite file) and an
 * in-process worker with the solve-thread pool. Plain loop: the same chunks (materialize + apply
 * + solve + Parquet writes) one after another in this process, no Temporal. Prints wall time,
 * jobs/s, the overhead ratio, the CPU seconds of the worker process and of the dev server during
 * the Temporal run (where the overhead goes), the longest history of any workflow run and the
 * peak RSS.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { materializeStudy } from '../src/activities/materialize';
import { loadStudy } from '../src/scenarios/load-spec';
import { runChunk } from '../src/activities/chunk-runner';
import { readCaseFile } from '../src/solvers/matpower-case';
import { readDevConfig } from '../src/temporal/config';
import { connectWorker, waitForNamespace } from '../src/temporal/connect';
import { ensureDevServer, stopDevServer } from '../src/temporal/dev-server';
import { closeSolvePool, createWorker, installRuntime } from '../src/temporal/worker';
import { studyPipeline } from '../src/workflows';
import { FeatureLayout, LocalActivitiesMode, StudyTask } from '../src/workflows/types';
import { featurizeBatch } from '../src/featurize';
import { solveThreads } from '../src/activities/solve-pool';

const ROOT = resolve(__dirname, '..');
const CASE = join(ROOT, 'examples', 'cases', 'case118.m');
const WORK = join(process.env.GRIDBATCH_BENCH_DIR ?? join(tmpdir(), 'gridbatch-bench'));
const HOURS = 24;
const argOf = (k: string, d: number) => { const i = process.argv.indexOf(k); return i >= 0 ? Number(process.argv[i + 1]) : d; };
const WINDOW = argOf('--window', 64);
const strArg = (k: string) => { const i = process.argv.indexOf(k); return i >= 0 ? process.argv[i + 1] : undefined; };
/** auto (default), always or never: where the solve chunks run (src/workflows/solve-placement.ts) */
const LOCAL = (strArg('--local-activities') ?? 'auto') as LocalActivitiesMode;
/** featurize in both runs with this layout (a dataset builder's run); default: no featurize */
const LAYOUT = strArg('--feature-layout') as FeatureLayout | undefined;
/** dev server port of the benchmark (another one may be running on the default) */
const PORT = Number(process.env.GRIDBATCH_BENCH_PORT ?? 7433);
/** --skip-plain: only the Temporal run (a dataset builder's row: the plain loop doubles its time) */
const SKIP_PLAIN = process.argv.includes('--skip-plain');

interface Run { task: StudyTask; jobs: number }

function parseRuns(argv: string[]): Run[] {
  const i = argv.indexOf('--runs');
  const spec = i >= 0 ? argv[i + 1] : 'pf_dc:1000,pf_dc:10000,pf_dc:100000,pf_ac:10000';
  return spec.split(',').map((r) => {
    const [task, n] = r.split(':');
    return { task: task as StudyTask, jobs: Number(n) };
  });
}

/** A daily shape (per unit of the case's loads), the same for every load, with a small per-bus skew. */
function writeProfile(dir: string): string {
  const net = readCaseFile(CASE);
  const loads: number[] = [];
  for (let i = 0; i < net.bus.n; i++) if (net.bus.Pd[i] !== 0 || net.bus.Qd[i] !== 0) loads.push(net.bus.busI[i]);
  const header = ['time', ...loads.flatMap((b) => [`load:${b}:p`, `load:${b}:q`])];
  const rows = [header.join(',')];
  for (let h = 0; h < HOURS; h++) {
    const shape = 0.75 + 0.25 * Math.sin(((h - 6) / 24) * 2 * Math.PI);
    const t = `2025-01-15T${String(h).padStart(2, '0')}:00:00Z`;
    rows.push([t, ...loads.flatMap((b, k) => { const v = (shape * (1 + 0.02 * Math.sin(k + h))).toFixed(4); return [v, v]; })].join(','));
  }
  const file = join(dir, 'profile.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

function writeSpec(dir: string, jobs: number): string {
  const samples = Math.ceil(jobs / HOURS);
  const spec = [
    `grid_file: ${CASE}`,
    'profiles: {file: profile.csv, kind: multiplier}',
    'defaults:',
    '  time_range: {start: "2025-01-15T00:00:00Z", end: "2025-01-16T00:00:00Z", step: 1h}',
    'generators:',
    `  - {type: load_perturbation, samples: ${samples}, seed: 42, global_range: [0.85, 1.1], local_noise: 0.03, id_template: "s{index|zfill:5}"}`,
    '',
  ].join('\n');
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, spec);
  return file;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function temporalRun(client: Client, conn: Awaited<ReturnType<typeof connectWorker>>, taskQueue: string, run: Run, spec: string, out: string, serverPid: number | undefined) {
  const batchId = `bench-${run.task}-${run.jobs}-${Date.now()}`;
  const worker = await createWorker({ connection: conn, namespace: 'default', taskQueue });
  const cpu0 = process.cpuUsage();
  const server0 = processCpuSeconds(serverPid);
  const t0 = performance.now();
  const handle = await client.workflow.start(studyPipeline, {
    workflowId: batchId, taskQueue,
    args: [{ batchId, specPath: spec, outDir: out, task: run.task, options: { maxInFlight: WINDOW, chunkSize: HOURS, skipFeaturize: !LAYOUT, featureLayout: LAYOUT, skipReport: true, localActivities: LOCAL } }],
  });
  const r = await worker.runUntil(handle.result());
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const workerCpu = (cpu.user + cpu.system) / 1e6;
  const server1 = processCpuSeconds(serverPid);
  const serverCpu = server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined;
  let maxHistory = 0;
  let runs = 0;
  for await (const w of client.workflow.list({ query: `WorkflowId STARTS_WITH '${batchId}'` })) {
    runs++;
    maxHistory = Math.max(maxHistory, w.historyLength ?? 0);
  }
  return { wall, ok: r.ok, failed: r.failed, jobs: r.jobs, samples: r.features?.graphs, maxHistory, runs, workerCpu, serverCpu };
}

async function plainLoop(run: Run, spec: string, out: string) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const loaded = loadStudy(spec);
  const study = loaded.study;
  materializeStudy({ batchId: 'plain', specPath: spec, outDir: out, task: run.task }, loaded);
  study.scenarios.forEach((s, index) => {
    runChunk({ outDir: out, task: run.task, scenarioIndex: index, scenarioId: s.scenarioId, chunk: 0, sliceStart: 0, sliceEnd: HOURS });
  });
  if (LAYOUT) await featurizeBatch(out, { layout: LAYOUT });
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

async function main(): Promise<void> {
  const runs = parseRuns(process.argv);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  installRuntime('WARN');
  const cfgFile = join(WORK, 'temporal-bench.yml');
  writeFileSync(cfgFile, [
    'ip: 127.0.0.1', `port: ${PORT}`, `ui_port: ${PORT + 1000}`, `db_file: ${join(WORK, 'bench.sqlite')}`, `log_file: ${join(WORK, 'server.log')}`,
    'log_level: warn', 'task_queue: gridbatch-bench', '',
  ].join('\n'));
  process.env.GRIDBATCH_DEV_CONFIG = cfgFile;
  const cfg = readDevConfig();
  const server = await ensureDevServer(cfg);
  const connection = await Connection.connect({ address: `${cfg.ip}:${cfg.port}` });
  await waitForNamespace(connection, 'default');
  const client = new Client({ connection });
  const wconn = await connectWorker({ address: `${cfg.ip}:${cfg.port}`, namespace: 'default', taskQueue: cfg.task_queue, remote: false });
  const rows: string[] = [];
  try {
    for (const run of runs) {
      const dir = join(WORK, `${run.task}-${run.jobs}`);
      mkdirSync(dir, { recursive: true });
      writeProfile(dir);
      const spec = writeSpec(dir, run.jobs);
      const plain = SKIP_PLAIN ? { wall: NaN, cpu: NaN } : await plainLoop(run, spec, join(dir, 'plain'));
      const t = await temporalRun(client, wconn, cfg.task_queue, run, spec, join(dir, 'temporal'), server.pid);
      const rss = process.resourceUsage().maxRSS / 1024;
      const cpuCells = `${t.workerCpu.toFixed(1)} | ${t.serverCpu === undefined ? 'n/a' : t.serverCpu.toFixed(1)} | ${plain.cpu.toFixed(1)}`;
      // samples per core-hour: from the wall time x cores, and from the CPU seconds actually used (worker + server)
      const cpuS = t.workerCpu + (t.serverCpu ?? 0);
      const perCoreHour = t.samples === undefined ? '' : ` ${t.samples.toLocaleString('en')} (${LAYOUT}) | ${Math.round(t.samples / ((t.wall * availableParallelism()) / 3600)).toLocaleString('en')} | ${Math.round(t.samples / (cpuS / 3600)).toLocaleString('en')} |`;
      const row = `| ${run.task} | ${t.jobs.toLocaleString('en')} | ${t.wall.toFixed(1)} | ${(t.jobs / t.wall).toFixed(0)} | ${plain.wall.toFixed(1)} | ${(t.jobs / plain.wall).toFixed(0)} | ${(t.wall / plain.wall).toFixed(2)} | ${cpuCells} | ${t.runs.toLocaleString('en')} | ${t.maxHistory} | ${t.failed} | ${rss.toFixed(0)} |${perCoreHour}`;
      rows.push(row);
      console.log(row);
    }
  } finally {
    await closeSolvePool();
    await wconn.close();
    await connection.close();
    await stopDevServer(cfg);
  }
  console.log(`\ncase118, 24 hourly slices per scenario, chunk 24, window ${WINDOW} scenarios, local activities ${LOCAL}, ${solveThreads()} solve threads on ${availableParallelism()} cores${LAYOUT ? `, featurize ${LAYOUT} in both runs` : ''}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('CPU s: worker process (all threads) and dev server during the Temporal run; the plain loop in one thread.');
  const extra = LAYOUT ? ' samples | per core-hour (wall x cores) | per core-hour (CPU s) |' : '';
  console.log(`| task | jobs | Temporal wall s | jobs/s | plain loop s | jobs/s | ratio | worker CPU s | server CPU s | plain CPU s | workflow runs | max history events | failed | peak RSS MB |${extra}`);
  console.log(`|---|---|---|---|---|---|---|---|---|---|---|---|---|---|${LAYOUT ? '---|---|---|' : ''}`);
  for (const r of rows) console.log(r);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
