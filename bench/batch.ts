/**
 * `npm run bench:batch`: case118 batches through Temporal vs the same work in a plain loop,
 * CPU for CPU: both sides solve in the same piscina pool (GRIDBATCH_SOLVE_THREADS threads).
 *
 *   npm run bench:batch                                   # pf_ac 10,008 and pf_dc 100,008, fixed cost, GAT-format pair
 *   npm run bench:batch -- --runs pf_dc:1000008 --temporal-only --gat 0 --no-fixed  # the million-job study (MAX_JOBS is 2^20)
 *   npm run bench:batch -- --runs pf_ac:10008 --repeat 3 --json
 *   npm run bench:batch -- --scenario-groups never                  # one workflow per scenario (before groups)
 *   npm run bench:batch -- --runs none --gat 0                       # only the fixed cost of a study
 *   npm run bench:batch -- --runs none --cli tsx                     # the CLI from the sources (default: dist/, npm run build)
 *   npm run bench:batch -- --runs opf_ac:10008 --feature-layout gridfm --temporal-only --gat 0 --no-fixed   # a training set, featurize included
 *
 * Rows: N = jobs / 24 seeded load perturbations x 24 hourly slices of a daily profile. Temporal:
 * a dedicated dev server (SQLite file) and an in-process worker. Plain loop: materialize, then
 * every chunk (apply + solve + Parquet + job records) through the same solve pool, no Temporal.
 * The CPU ratio is (worker process + dev server CPU s) / (plain loop CPU s); `--repeat` runs the
 * two alternately and prints medians.
 * Fixed cost: a one-job study, in-process (connect, worker start, the workflow with its
 * materialize and manifest activities) and through `gridbatch start-batch` end to end (the
 * prebuilt dist/ with plain node, or the sources through tsx with `--cli tsx`), with the wall /
 * CPU seconds of each of its stages.
 * GAT-format pair: 1,000 one-slice scenarios (GAT's spec format) vs the same 1,000 jobs as one
 * scenario with 1,000 time slices, both through `client.ts start-batch --task pf_dc
 * --skip-featurize --skip-report` against the running dev server, alternating with GAT's own
 * pipeline on the same scenarios (materialize, then `batch pf --mode dc`, each timed) when a
 * gat-cli binary is found (bench/batch-gat.ts; one line says so when it is not); beside it, the same
 * scenarios by start-batch against an already running `gridbatch worker` (--no-standing-worker: not run),
 * and with `--gat-threads N` the self-started run again with N solve threads (GRIDBATCH_SOLVE_THREADS).
 * Every figure is printed with the 1-minute load average at its start.
 */
import type { PartitionOption } from '../src/contracts/partition';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { materializeStudy } from '../src/activities/materialize';
import { loadStudy } from '../src/scenarios/load-spec';
import { readDevConfig } from '../src/temporal/config';
import { connectWorker, waitForNamespace } from '../src/temporal/connect';
import { ensureDevServer, stopDevServer } from '../src/temporal/dev-server';
import { closeSolvePool, createWorker, installRuntime } from '../src/temporal/worker';
import { studyPipeline } from '../src/workflows';
import { FeatureLayout, LocalActivitiesMode, ScenarioGroupsMode, StudyTask } from '../src/contracts/workflow-types';
import { featurizeBatch } from '../src/featurize';
import { runChunkInPool, solvePool, solveThreads } from '../src/activities/solve-pool';
import {
  activityIntervals,
  activitySecondsOf,
  load1,
  median,
  processCpuSeconds,
  selfCpuSeconds,
  treeCounts,
} from './batch-measure';
import { HOURS, writePerturbationSpec } from './batch-specs';
import { CliMode, Ctx, fixedCost } from './batch-cli';
import { gatPair, gatTable } from './batch-gat';
import { phaseRss, sampleRss } from './batch-rss';

const WORK = join(process.env.GRIDBATCH_BENCH_DIR ?? join(tmpdir(), 'gridbatch-bench'));
const argv = process.argv;
const strArg = (k: string) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv[i + 1] : undefined;
};
const numArg = (k: string, d: number) => {
  const v = strArg(k);
  return v === undefined ? d : Number(v);
};
const WINDOW = numArg('--window', 64);
const REPEAT = Math.max(1, numArg('--repeat', 1));
const GAT_JOBS = numArg('--gat', 1000);
const JSON_OUT = argv.includes('--json');
const TEMPORAL_ONLY = argv.includes('--temporal-only') || argv.includes('--skip-plain');
/** featurize in both runs with this layout (a dataset builder's run); default: no featurize */
const LAYOUT = strArg('--feature-layout') as FeatureLayout | undefined;
/** dev server port of the benchmark (another one may be running on the default) */
const PORT = Number(process.env.GRIDBATCH_BENCH_PORT ?? 7433);
/** auto (default), always or never: where the solve chunks run (src/workflows/solve-placement.ts) */
const LOCAL = (strArg('--local-activities') ?? 'auto') as LocalActivitiesMode;
/** auto (default), always or never: scenario groups (src/workflows/scenario-groups.ts) */
const GROUPS = (strArg('--scenario-groups') ?? 'auto') as ScenarioGroupsMode;
/** dist (default: the prebuilt JavaScript, `npm run build`) or tsx (the sources): how the CLI runs */
const CLI = (strArg('--cli') ?? 'dist') as CliMode;
/** auto (default), scenario_id or bucket: how result files are grouped (src/contracts/partition.ts) */
const PARTITION = strArg('--partition-by') as PartitionOption | undefined;

interface Run {
  task: StudyTask;
  jobs: number;
}

function parseRuns(): Run[] {
  return (strArg('--runs') ?? 'pf_ac:10008,pf_dc:100008')
    .split(',')
    .filter((r) => r && r !== 'none')
    .map((r) => {
      const [task, n] = r.split(':');
      return { task: task as StudyTask, jobs: Number(n) };
    });
}

async function historyStats(client: Client, prefix: string): Promise<{ runs: number; maxHistory: number }> {
  let maxHistory = 0;
  let runs = 0;
  for await (const w of client.workflow.list({ query: `WorkflowId STARTS_WITH '${prefix}'` })) {
    runs++;
    maxHistory = Math.max(maxHistory, w.historyLength ?? 0);
  }
  return { runs, maxHistory };
}

async function temporalRun(c: Ctx, task: StudyTask, spec: string, out: string) {
  const batchId = `bench-${task}-${Date.now()}`;
  const load = load1();
  const worker = await createWorker({ connection: c.wconn, namespace: 'default', taskQueue: c.taskQueue });
  const cpu0 = selfCpuSeconds();
  const server0 = processCpuSeconds(c.serverPid);
  const t0 = performance.now();
  const sampler = sampleRss();
  const handle = await c.client.workflow.start(studyPipeline, {
    workflowId: batchId,
    taskQueue: c.taskQueue,
    args: [
      {
        batchId,
        specPath: spec,
        outDir: out,
        task,
        options: {
          maxInFlight: WINDOW,
          chunkSize: HOURS,
          skipFeaturize: !LAYOUT,
          featureLayout: LAYOUT,
          skipReport: true,
          localActivities: LOCAL,
          scenarioGroups: GROUPS,
          partitionBy: PARTITION,
        },
      },
    ],
  });
  const r = await worker.runUntil(handle.result());
  const wall = (performance.now() - t0) / 1000;
  const samples = sampler.stop();
  const workerCpu = selfCpuSeconds() - cpu0;
  const server1 = processCpuSeconds(c.serverPid);
  const serverCpu = server0 !== undefined && server1 !== undefined ? server1 - server0 : NaN;
  const h = await historyStats(c.client, batchId);
  // one read of the study's history for both: activity seconds and the phases of the RSS samples
  const intervals = await activityIntervals(c.client, batchId);
  const stages = activitySecondsOf(intervals);
  const rss = phaseRss(intervals, samples);
  return {
    rss,
    load,
    wall,
    workerCpu,
    serverCpu,
    ok: r.ok,
    failed: r.failed,
    jobs: r.jobs,
    samples: r.features?.graphs ?? NaN,
    ...h,
    materializeS: stages.materialize ?? NaN,
    manifestS: stages.finalizeManifest ?? NaN,
  };
}

/** Materialize, then every chunk through the same solve pool (at most 2 tasks per thread queued). */
async function plainLoop(task: StudyTask, spec: string, out: string) {
  const load = load1();
  const t0 = performance.now();
  const cpu0 = selfCpuSeconds();
  const loaded = loadStudy(spec);
  materializeStudy({ batchId: 'plain', specPath: spec, outDir: out, task }, loaded);
  const scenarios = loaded.study.scenarios;
  let next = 0;
  const lane = async () => {
    while (next < scenarios.length) {
      const index = next++;
      const s = scenarios[index];
      const slices = Math.max(1, s.timeSlices.length);
      for (let c = 0; c * HOURS < slices; c++) {
        await runChunkInPool({
          outDir: out,
          task,
          scenarioIndex: index,
          scenarioId: s.scenarioId,
          chunk: c,
          sliceStart: c * HOURS,
          sliceEnd: Math.min(slices, (c + 1) * HOURS),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: solveThreads() * 2 }, lane));
  if (LAYOUT) await featurizeBatch(out, { layout: LAYOUT });
  return { load, wall: (performance.now() - t0) / 1000, cpu: selfCpuSeconds() - cpu0 };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

async function main(): Promise<void> {
  const runs = parseRuns();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  installRuntime('WARN');
  const cfgFile = join(WORK, 'temporal-bench.yml');
  writeFileSync(
    cfgFile,
    [
      'ip: 127.0.0.1',
      `port: ${PORT}`,
      `ui_port: ${PORT + 1000}`,
      `db_file: ${join(WORK, 'bench.sqlite')}`,
      `log_file: ${join(WORK, 'server.log')}`,
      'log_level: warn',
      'task_queue: gridbatch-bench',
      'search_attributes: { BatchId: Keyword, ScenarioId: Keyword, Stage: Keyword }',
      '',
    ].join('\n'),
  );
  process.env.GRIDBATCH_DEV_CONFIG = cfgFile;
  const cfg = readDevConfig();
  const server = await ensureDevServer(cfg);
  const address = `${cfg.ip}:${cfg.port}`;
  const connection = await Connection.connect({ address });
  await waitForNamespace(connection, 'default');
  const client = new Client({ connection });
  const wconn = await connectWorker({ address, namespace: 'default', taskQueue: cfg.task_queue, remote: false });
  // a parsed-spec cache of this bench alone (src/scenarios/spec-cache.ts): the first CLI run of a spec parses it
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GRIDBATCH_DEV_CONFIG: cfgFile,
    GRIDBATCH_SPEC_CACHE: join(WORK, 'spec-cache'),
  };
  delete env.TEMPORAL_ADDRESS; // the CLI talks to the bench's dev server and runs its own worker
  const c: Ctx = {
    client,
    wconn,
    taskQueue: cfg.task_queue,
    serverPid: server.pid,
    env,
    scenarioGroups: GROUPS,
    cli: CLI,
    partitionBy: PARTITION,
  };
  solvePool();
  const report: Record<string, unknown> = {
    threads: solveThreads(),
    cores: availableParallelism(),
    window: WINDOW,
    localActivities: LOCAL,
    scenarioGroups: GROUPS,
    cli: CLI,
    repeat: REPEAT,
    loadAtStart: load1(),
  };
  const rows: Record<string, number | string>[] = [];
  try {
    if (!argv.includes('--no-fixed')) {
      const dir = join(WORK, 'fixed');
      mkdirSync(dir, { recursive: true });
      report.fixedCost = await fixedCost(c, address, dir);
      if (!JSON_OUT) console.log('fixed cost', report.fixedCost);
    }
    for (const run of runs) {
      const dir = join(WORK, `${run.task}-${run.jobs}`);
      mkdirSync(dir, { recursive: true });
      const spec = writePerturbationSpec(dir, run.jobs);
      const plains: Awaited<ReturnType<typeof plainLoop>>[] = [];
      const temps: Awaited<ReturnType<typeof temporalRun>>[] = [];
      for (let k = 0; k < REPEAT; k++) {
        if (!TEMPORAL_ONLY) plains.push(await plainLoop(run.task, spec, join(dir, `plain-${k}`)));
        const out = join(dir, `temporal-${k}`);
        temps.push(await temporalRun(c, run.task, spec, out));
        if (k === REPEAT - 1) {
          const tree = treeCounts(out);
          const size = (f: string) => (existsSync(join(out, f)) ? statSync(join(out, f)).size / 2 ** 20 : 0);
          // the JSON manifest (with every job before batch_manifest.parquet; a summary since) and the table
          Object.assign(temps[k], {
            files: tree.files,
            dirs: tree.dirs,
            outMB: tree.bytes / 2 ** 20,
            manifestMB: size('batch_manifest.json') + size('batch_manifest.parquet'),
            manifestJsonMB: size('batch_manifest.json'),
          });
        }
        if (k < REPEAT - 1) {
          rmSync(join(dir, `plain-${k}`), { recursive: true, force: true });
          rmSync(out, { recursive: true, force: true });
        }
      }
      const m = (g: (x: (typeof temps)[number]) => number) => median(temps.map(g));
      const last = temps[temps.length - 1] as (typeof temps)[number] & {
        files: number;
        dirs: number;
        outMB: number;
        manifestMB: number;
        manifestJsonMB: number;
      };
      const plainWall = plains.length ? median(plains.map((p) => p.wall)) : NaN;
      const plainCpu = plains.length ? median(plains.map((p) => p.cpu)) : NaN;
      const row = {
        task: run.task,
        jobs: last.jobs,
        load: Math.max(...temps.map((t) => t.load), ...plains.map((p) => p.load)),
        temporalWallS: m((t) => t.wall),
        plainWallS: plainWall,
        wallRatio: m((t) => t.wall) / plainWall,
        workerCpuS: m((t) => t.workerCpu),
        serverCpuS: m((t) => t.serverCpu),
        plainCpuS: plainCpu,
        cpuRatio: m((t) => t.workerCpu + t.serverCpu) / plainCpu,
        materializeS: m((t) => t.materializeS),
        manifestS: m((t) => t.manifestS),
        workflowRuns: last.runs,
        maxHistory: Math.max(...temps.map((t) => t.maxHistory)),
        failed: last.failed,
        files: last.files,
        dirs: last.dirs,
        outMB: last.outMB,
        manifestMB: last.manifestMB,
        manifestJsonMB: last.manifestJsonMB,
        peakRssMB: process.resourceUsage().maxRSS / 1024,
        // by phase (bench/batch-rss.ts), of the last Temporal run
        peakRssMaterializeMB: last.rss.materializeMB,
        peakRssSolveMB: last.rss.solveMB,
        peakRssManifestMB: last.rss.manifestMB,
        mainHeapPeakMB: last.rss.mainHeapMB,
        // a dataset builder's figures (--feature-layout): samples featurized, per core-hour of wall x cores and of CPU used
        ...(LAYOUT
          ? {
              samples: last.samples,
              layout: LAYOUT,
              samplesPerCoreHourWall: last.samples / ((m((t) => t.wall) * availableParallelism()) / 3600),
              samplesPerCoreHourCpu: last.samples / (m((t) => t.workerCpu + t.serverCpu) / 3600),
            }
          : {}),
      };
      rows.push(row);
      if (JSON_OUT) process.stderr.write(`${JSON.stringify(row)}\n`);
      else console.log(row);
    }
    if (GAT_JOBS > 0) {
      const standing = argv.includes('--no-standing-worker') ? undefined : address;
      const gatThreads = strArg('--gat-threads');
      report.gat = await gatPair(c, join(WORK, `gat-${GAT_JOBS}`), GAT_JOBS, REPEAT, standing, gatThreads);
      if (!JSON_OUT) console.log('GAT-format pair', report.gat);
    }
  } finally {
    await closeSolvePool();
    await wconn.close();
    await connection.close();
    await stopDevServer(cfg);
  }
  report.rows = rows;
  report.loadAtEnd = load1();
  if (JSON_OUT) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(
    `\ncase118, 24 hourly slices per scenario, chunk 24, window ${WINDOW}, local activities ${LOCAL}, scenario groups ${GROUPS}, ${solveThreads()} solve threads on both sides, ${availableParallelism()} cores; load average (1 min) ${report.loadAtStart} at start, ${report.loadAtEnd} at end`,
  );
  console.log(
    '| task | jobs | load | Temporal wall s | plain wall s | wall ratio | worker CPU s | server CPU s | plain CPU s | CPU ratio | materialize s | manifest s | workflow runs | max history | failed | files | manifest MB | peak RSS MB | RSS MB materialize / solve / manifest |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.task} | ${Number(r.jobs).toLocaleString('en')} | ${r.load} | ${f(+r.temporalWallS)} | ${f(+r.plainWallS)} | ${f(+r.wallRatio, 2)} | ${f(+r.workerCpuS)} | ${f(+r.serverCpuS)} | ${f(+r.plainCpuS)} | ${f(+r.cpuRatio, 2)} | ${f(+r.materializeS, 2)} | ${f(+r.manifestS, 2)} | ${Number(r.workflowRuns).toLocaleString('en')} | ${r.maxHistory} | ${r.failed} | ${Number(r.files).toLocaleString('en')} | ${f(+r.manifestMB)} | ${f(+r.peakRssMB, 0)} | ${r.peakRssMaterializeMB} / ${r.peakRssSolveMB} / ${r.peakRssManifestMB} |`,
    );
  }
  if (report.gat) console.log(`\n${gatTable(report.gat as Awaited<ReturnType<typeof gatPair>>)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
