/**
 * Records the replay fixtures (tests/fixtures/histories/*.json): runs small studies on a
 * throwaway dev server with an in-process worker and saves the history of every workflow type,
 * as JSON (see history-json.ts). `npm run record:histories`.
 *
 * Re-record only after an intentional workflow change, once no execution of the old code is
 * left running anywhere (see docs/reliability.md). Files named `<type>--legacy-*.json` are
 * histories of older workflow code kept on purpose (the code must still replay them): this
 * script leaves them alone.
 */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeSolvePool, createWorker, installRuntime } from '../../src/temporal/worker';
import type { ScreenedStudyInput, StudyInput, StudyResult } from '../../src/contracts/workflow-types';
import { ChaosServer } from '../chaos/harness';
import { historyToFixture, relativePayloadPaths } from './history-json';
import { CANCEL_FIXTURES, cancelHolds, runCancelledStudies } from './record-cancel';

export const FIXTURES = resolve(__dirname, '..', 'fixtures', 'histories');
const REPO = resolve(__dirname, '..', '..');
/** the recorder's scratch folder (its studies' outputs) */
const WORK = join(tmpdir(), `gridbatch-record-${process.pid}`);
// the example study with islands: fail, so that branch 14's jobs fail and retry-failed has work to redo
const CASE14_N1 = join(REPO, 'tests', 'fixtures', 'specs', 'case14-n1-islands-fail.yaml');
const CASE14_PERTURB = join(REPO, 'tests', 'fixtures', 'specs-ops', 'case14-perturb-120.yaml');

export interface RecordedFixture {
  file: string;
  workflowType: string;
  workflowId: string;
  events: number;
  bytes: number;
}

async function save(
  client: Client,
  workflowId: string,
  runId: string | undefined,
  name: string,
  outDir: string,
): Promise<RecordedFixture> {
  const h = client.workflow.getHandle(workflowId, runId);
  const d = await h.describe();
  const history = await h.fetchHistory();
  const json = relativePayloadPaths(historyToFixture(history), [
    { from: `${REPO}/`, to: '' },
    { from: `${WORK}/`, to: 'out/recorded/' },
  ]);
  const file = `${d.type}--${name}.json`;
  writeFileSync(join(outDir, file), json);
  return {
    file,
    workflowType: d.type,
    workflowId,
    events: history.events?.length ?? 0,
    bytes: Buffer.byteLength(json),
  };
}

/** Every run of a workflow id, oldest first (continue-as-new makes several). */
async function runsOf(client: Client, workflowId: string): Promise<string[]> {
  // visibility lags a little behind the histories: wait until every run is listed and closed
  for (let attempt = 0; ; attempt++) {
    const runs: { runId: string; start: number; closed: boolean }[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      runs.push({ runId: w.runId, start: w.startTime.getTime(), closed: w.status.name !== 'RUNNING' });
    }
    if ((runs.length > 1 && runs.every((r) => r.closed)) || attempt >= 40)
      return runs.sort((a, b) => a.start - b.start).map((r) => r.runId);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type RunStudy = (input: StudyInput) => Promise<StudyResult>;

/**
 * A study whose `results` path is a file: every chunk fails with ENOTDIR, an OutputError the
 * user must fix. Two scenarios run at once and fail; the batch starts no third one and fails
 * naming the path, and so does the pipeline.
 */
export async function runOutputErrorStudy(run: RunStudy, work: string, log: (s: string) => void): Promise<void> {
  const out = join(work, 'output-error');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results'), 'a file where the results folder belongs\n');
  const input: StudyInput = {
    batchId: 'rec-output-error',
    specPath: CASE14_N1,
    outDir: out,
    task: 'pf_dc',
    options: { maxInFlight: 2, skipFeaturize: true, skipReport: true, scenarios: ['base', 'load_110', 'load_90'] },
  };
  const failure = await run(input).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!failure) throw new Error('rec-output-error completed; it should have failed with an OutputError');
  log(`output-error study failed as it should: ${(failure.cause as Error | undefined)?.message ?? failure.message}`);
}

export async function saveOutputErrorStudy(client: Client, outDir: string): Promise<RecordedFixture[]> {
  return [
    await save(client, 'rec-output-error', undefined, 'output-error', outDir),
    await save(client, 'rec-output-error/batch', undefined, 'output-error-ends-batch', outDir),
    await save(client, 'rec-output-error/base', undefined, 'output-error', outDir),
  ];
}

/**
 * Records every fixture (old non-legacy files are replaced), or with `only: 'cancel'` just the
 * cancelled studies' fixtures (record-cancel.ts), leaving the others as they are.
 */
export async function recordHistories(
  outDir = FIXTURES,
  log: (s: string) => void = console.log,
  only?: 'cancel',
): Promise<RecordedFixture[]> {
  const work = WORK;
  rmSync(work, { recursive: true, force: true });
  const server = await ChaosServer.create(join(work, 'temporal'));
  const saved: RecordedFixture[] = [];
  // everything from the server's start on is inside the try: a failure anywhere (its namespace,
  // connect, worker bundle, a study) still stops the dev server's process group
  let native: NativeConnection | undefined;
  try {
    await server.start();
    installRuntime('WARN');
    native = await NativeConnection.connect({ address: server.address });
    const taskQueue = 'record-histories';
    const holds = cancelHolds();
    const worker = await createWorker({
      connection: native,
      namespace: server.cfg.namespace,
      taskQueue,
      activityOverrides: holds.overrides,
    });
    const client = await server.client();
    const run = (input: StudyInput) =>
      client.workflow.execute<(i: StudyInput) => Promise<StudyResult>>('studyPipeline', {
        workflowId: input.batchId,
        taskQueue,
        args: [input],
      });
    await worker.runUntil(async () => {
      // 7. cancelled studies: during the batch, and while the manifest is written
      await runCancelledStudies(client, taskQueue, holds, CASE14_PERTURB, work, log);
      if (only === 'cancel') return;
      // 1. the example study end to end (featurize and report included), one islanded scenario
      const out = join(work, 'case14-n1');
      const a = await run({
        batchId: 'rec-case14-n1',
        specPath: CASE14_N1,
        outDir: out,
        task: 'pf_dc',
        options: { maxInFlight: 8, searchAttributes: true },
      });
      log(`case14-n1: ${a.jobs} jobs, ${a.ok} ok, ${a.failed} failed`);
      // 2. retry-failed on the same folder: manifest counts, finished scenarios skipped, the failed one re-run
      const b = await run({
        batchId: 'rec-case14-n1-retry',
        specPath: CASE14_N1,
        outDir: out,
        task: 'pf_dc',
        mode: 'retry-failed',
        options: { skipFeaturize: true, skipReport: true },
      });
      log(`retry-failed: ${b.jobs} jobs, ${b.failed} failed`);
      // 3. a batch that continues as new (small window, small pages), one job per chunk, its
      //    chunks as regular activities (1 and 2 run them as local activities: auto on case14)
      const c = await run({
        batchId: 'rec-can',
        specPath: CASE14_PERTURB,
        outDir: join(work, 'can'),
        task: 'pf_dc',
        options: {
          historyLimit: 200,
          pageSize: 5,
          maxInFlight: 3,
          chunkSize: 1,
          skipFeaturize: true,
          skipReport: true,
          localActivities: 'never',
          scenarioGroups: 'never',
        },
      });
      log(`continue-as-new study: ${c.jobs} jobs`);
      // 4. the same 120 scenarios in scenario groups (pages of 50: groups of 50, 50 and 20)
      const d = await run({
        batchId: 'rec-groups',
        specPath: CASE14_PERTURB,
        outDir: join(work, 'groups'),
        task: 'pf_dc',
        options: {
          pageSize: 50,
          maxInFlight: 3,
          skipFeaturize: true,
          skipReport: true,
          scenarioGroups: 'always',
          // a study this small runs its groups from its pipeline (small-study.ts): here, in group workflows
          batchWorkflow: 'always',
          searchAttributes: true,
        },
      });
      log(`scenario groups study: ${d.jobs} jobs`);
      // 4b. the same study with its groups run by its pipeline (small-study.ts): one activity per group
      const d2 = await run({
        batchId: 'rec-small',
        specPath: CASE14_PERTURB,
        outDir: join(work, 'small'),
        task: 'pf_dc',
        options: { pageSize: 50, maxInFlight: 3, skipFeaturize: true, skipReport: true, searchAttributes: true },
      });
      log(`small study, groups in its pipeline: ${d2.jobs} jobs`);
      // 5. an output the user must fix: the batch ends on the first OutputError (patch output-error-ends-batch)
      await runOutputErrorStudy(run, work, log);
      // 6. a screened study: DC on every scenario, then AC on the 3 most severe
      const e = await client.workflow.execute<(i: ScreenedStudyInput) => Promise<StudyResult>>('screenedStudy', {
        workflowId: 'rec-screen',
        taskQueue,
        args: [
          {
            study: {
              batchId: 'rec-screen',
              specPath: CASE14_N1,
              outDir: join(work, 'screen'),
              task: 'pf_ac',
              options: { skipFeaturize: true, skipReport: true },
            },
            screenTask: 'pf_dc',
            screenTop: 3,
          },
        ],
      });
      log(`screened study: ${e.jobs} jobs in its final stage`);
    });

    mkdirSync(outDir, { recursive: true });
    for (const c of CANCEL_FIXTURES) saved.push(await save(client, c.workflowId, undefined, c.name, outDir));
    if (only !== 'cancel') {
      // legacy fixtures (histories of older workflow code, kept on purpose) stay
      for (const f of readdirSync(outDir).filter((x) => x.endsWith('.json') && !x.includes('--legacy-')))
        if (!saved.some((s) => s.file === f)) rmSync(join(outDir, f));
      saved.push(await save(client, 'rec-case14-n1', undefined, 'case14-n1', outDir));
      saved.push(await save(client, 'rec-case14-n1/batch', undefined, 'case14-n1', outDir));
      saved.push(await save(client, 'rec-case14-n1/base', undefined, 'ok', outDir));
      saved.push(await save(client, 'rec-case14-n1/n1_branch_14', undefined, 'islanded-failed-jobs', outDir));
      saved.push(await save(client, 'rec-case14-n1-retry', undefined, 'retry-failed', outDir));
      saved.push(await save(client, 'rec-case14-n1-retry/batch', undefined, 'retry-failed-skips-finished', outDir));
      saved.push(await save(client, 'rec-can', undefined, 'skip-stages', outDir));
      saved.push(await save(client, 'rec-screen', undefined, 'dc-then-ac', outDir));
      const batchRuns = await runsOf(client, 'rec-can/batch');
      if (batchRuns.length < 2) throw new Error(`the batch did not continue as new (${batchRuns.length} run)`);
      // the first run, the second (started from a cursor and counters) and the last (completes)
      const keep = [...new Set([0, 1, batchRuns.length - 1])];
      for (const k of keep)
        saved.push(
          await save(
            client,
            'rec-can/batch',
            batchRuns[k],
            `continue-as-new-run${k + 1}-of-${batchRuns.length}`,
            outDir,
          ),
        );
      saved.push(await save(client, 'rec-can/s000', undefined, 'two-chunks', outDir));
      saved.push(await save(client, 'rec-groups/batch', undefined, 'scenario-groups', outDir));
      saved.push(await save(client, 'rec-groups/group/s000', undefined, 'ok', outDir));
      saved.push(await save(client, 'rec-small', undefined, 'small-study-in-pipeline', outDir));
      saved.push(...(await saveOutputErrorStudy(client, outDir)));
    }
  } finally {
    await closeSolvePool().catch(() => undefined);
    await native?.close().catch(() => undefined);
    await server.close().catch(() => undefined);
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  for (const s of saved) log(`${s.file}: ${s.events} events, ${(s.bytes / 1024).toFixed(1)} KiB`);
  return saved;
}
