/**
 * bench:batch's CLI runs: `client.ts start-batch` as its own process against the bench's dev
 * server, and the fixed cost of a one-scenario study (connect, worker start, workflow, the CLI).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connectWorker } from '../src/temporal/connect';
import { createWorker } from '../src/temporal/worker';
import { studyPipeline } from '../src/workflows';
import { ScenarioGroupsMode, StudyTask } from '../src/contracts/workflow-types';
import { activitySeconds, childrenCpuSeconds, load1, processCpuSeconds, selfCpuSeconds } from './batch-measure';
import { writeTinySpec } from './batch-specs';
import { cliMarks } from './batch-timeline';

const ROOT = resolve(__dirname, '..');

type WorkerConnection = Awaited<ReturnType<typeof connectWorker>>;
export interface Ctx {
  client: Client;
  wconn: WorkerConnection;
  taskQueue: string;
  serverPid?: number;
  env: NodeJS.ProcessEnv;
  /** --scenario-groups of the runs */
  scenarioGroups: ScenarioGroupsMode;
  /** --cli: the prebuilt dist/ (default) or the sources through tsx */
  cli: CliMode;
  /** --partition-by of the CLI runs (default: the CLI's own, auto) */
  partitionBy?: string;
}

/**
 * How the CLI runs: `dist` (default) the prebuilt JavaScript through bin/gridbatch.cjs with plain
 * node, refusing a stale dist/ (GRIDBATCH_DIST=require: run `npm run build`); `tsx` the sources.
 */
export type CliMode = 'dist' | 'tsx';

function cliCommand(mode: CliMode): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return mode === 'tsx'
    ? { command: join(ROOT, 'node_modules', '.bin', 'tsx'), args: [join(ROOT, 'client.ts')], env: {} }
    : { command: process.execPath, args: [join(ROOT, 'bin', 'gridbatch.cjs')], env: { GRIDBATCH_DIST: 'require' } };
}

/**
 * Wall and CPU seconds of each stage of `start-batch` from its GRIDBATCH_TIMINGS marks
 * (src/cli/timings.ts): load (node start + the command's modules), validate, connect, start the
 * workflow, create the worker, run the workflow, close.
 */
export function stageSeconds(stderr: string): Record<string, { wall: number; cpu: number }> {
  const marks = [...stderr.matchAll(/^gridbatch-timing (\S+) (\S+) (\S+)$/gm)].map((m) => ({
    label: m[1],
    t: Number(m[2]),
    cpu: Number(m[3]),
  }));
  const names: Record<string, string> = {
    loaded: 'load',
    validated: 'validate',
    connected: 'connect',
    'worker-created': 'workerStart',
    started: 'startWorkflow',
    result: 'workflow',
    'worker-stopped': 'workerShutdown',
    closed: 'close',
  };
  const out: Record<string, { wall: number; cpu: number }> = {};
  let prev = { t: 0, cpu: 0 };
  // the main thread's stage marks only (a solve thread's, `thread-*`, arrive in between)
  for (const m of marks) {
    const name = names[m.label];
    if (!name) continue;
    out[name] = { wall: m.t - prev.t, cpu: m.cpu - prev.cpu };
    prev = m;
  }
  return out;
}

/** `gridbatch start-batch` as its own process against the bench's dev server; wall, CPU (its own + the server's). */
export function cliRun(c: Ctx, spec: string, out: string, task: StudyTask) {
  const load = load1();
  const child0 = childrenCpuSeconds();
  const server0 = processCpuSeconds(c.serverPid);
  const cli = cliCommand(c.cli);
  const spawnedAtMs = Date.now();
  const t0 = performance.now();
  const r = spawnSync(
    cli.command,
    [
      ...cli.args,
      'start-batch',
      '--spec',
      spec,
      '--task',
      task,
      '--out',
      out,
      '--skip-featurize',
      '--skip-report',
      '--scenario-groups',
      c.scenarioGroups,
      ...(c.partitionBy ? ['--partition-by', c.partitionBy] : []),
      '--json',
    ],
    { env: { ...c.env, ...cli.env, GRIDBATCH_TIMINGS: '1' }, encoding: 'utf8' },
  );
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`start-batch exited ${r.status}: ${r.stderr}`);
  // the result is the last JSON object on stdout (the worker's log lines may come before it)
  const at = r.stdout.lastIndexOf('\n{\n') + 1;
  if (at > 0) process.stderr.write(`start-batch log: ${r.stdout.slice(0, at)}`);
  const res = JSON.parse(r.stdout.slice(at)) as { batchId: string; jobs: number; ok: number; failed: number };
  const server1 = processCpuSeconds(c.serverPid);
  return {
    load,
    wall,
    stages: stageSeconds(r.stderr),
    marks: cliMarks(r.stderr),
    spawnedAtMs,
    cliCpu: childrenCpuSeconds() - child0,
    serverCpu: server0 !== undefined && server1 !== undefined ? server1 - server0 : NaN,
    ...res,
  };
}

export async function fixedCost(c: Ctx, cfgAddress: string, dir: string) {
  const spec = writeTinySpec(dir);
  const load = load1();
  let t = performance.now();
  const conn = await Connection.connect({ address: cfgAddress });
  const wconn = await connectWorker({
    address: cfgAddress,
    namespace: 'default',
    taskQueue: c.taskQueue,
    remote: false,
  });
  const connectS = (performance.now() - t) / 1000;
  t = performance.now();
  const cpu0 = selfCpuSeconds();
  const worker = await createWorker({ connection: wconn, namespace: 'default', taskQueue: c.taskQueue });
  const workerStartS = (performance.now() - t) / 1000;
  // CPU seconds tell more than wall time on a loaded machine
  const workerStartCpuS = selfCpuSeconds() - cpu0;
  const batchId = `bench-tiny-${Date.now()}`;
  t = performance.now();
  // polling before the workflow starts, as start-batch does (src/cli/local-worker.ts)
  let release: () => void = () => undefined;
  const running = worker.runUntil(new Promise<void>((r) => (release = r)));
  const handle = await c.client.workflow.start(studyPipeline, {
    workflowId: batchId,
    taskQueue: c.taskQueue,
    args: [
      {
        batchId,
        specPath: spec,
        outDir: join(dir, 'tiny-inproc'),
        task: 'pf_dc',
        options: { skipFeaturize: true, skipReport: true },
      },
    ],
  });
  await handle.result().finally(release);
  const workflowS = (performance.now() - t) / 1000;
  await running;
  await wconn.close();
  await conn.close();
  const stages = await activitySeconds(c.client, batchId);
  const cli = cliRun(c, spec, join(dir, 'tiny-cli'), 'pf_dc');
  return {
    load,
    connectS,
    workerStartS,
    workerStartCpuS,
    workflowS,
    materializeS: stages.materialize ?? NaN,
    manifestS: stages.finalizeManifest ?? NaN,
    inProcessTotalS: connectS + workerStartS + workflowS,
    cli: c.cli,
    cliWallS: cli.wall,
    cliCpuS: cli.cliCpu,
    cliServerCpuS: cli.serverCpu,
    // `start-batch`'s stages, wall / CPU seconds each (its GRIDBATCH_TIMINGS marks)
    cliStages: Object.fromEntries(
      Object.entries(cli.stages).map(([k, v]) => [k, `${v.wall.toFixed(2)} / ${v.cpu.toFixed(2)}`]),
    ),
  };
}
