/**
 * Operating studies from the CLI on the real dev server: start twice (one batch), status, list,
 * results, cancel in the middle, retry-failed after the cause of the failures is fixed.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cancelCommand } from '../../src/cli/cancel';
import { listCommand } from '../../src/cli/list';
import { resultsCommand } from '../../src/cli/results';
import { retryFailedCommand } from '../../src/cli/retry-failed';
import { startBatch } from '../../src/cli/start-batch';
import { statusCommand } from '../../src/cli/status';
import { readDevConfig } from '../../src/temporal/config';
import { connectWorker } from '../../src/temporal/connect';
import { createWorker } from '../../src/temporal/worker';
import { connectionSettings } from '../../src/temporal/config';
import { capture } from '../helpers/cli';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { manifestOf } from '../helpers/manifest';
import { ARTIFACTS } from '../helpers/test-server';

const SPECS = resolve(__dirname, '..', 'fixtures', 'specs-ops');
const run = `${randomBytes(3).toString('hex')}`;
const out = (name: string) => join(ARTIFACTS, 'runs', `ops-${run}-${name}`);

describe('operating studies from the CLI', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await testTemporal();
  });
  afterAll(async () => t?.close());

  test('start twice runs one batch; status, list and results report it', async () => {
    const args = { spec: join(SPECS, 'case14-heavy.yaml'), task: 'pf_ac', out: out('twice'), wait: true, json: true };
    const first = await capture(() => startBatch(args));
    expect(first.code).toBe(0);
    const r1 = JSON.parse(first.out) as { batchId: string; jobs: number; ok: number };
    expect(r1).toMatchObject({ jobs: 4, ok: 4 });
    const d1 = await t.client.workflow.getHandle(r1.batchId).describe();

    const second = await capture(() => startBatch(args));
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out).batchId).toBe(r1.batchId);
    const d2 = await t.client.workflow.getHandle(r1.batchId).describe();
    expect(d2.runId).toBe(d1.runId); // attached to the finished run, nothing started again

    const status = await capture(() => statusCommand({ id: r1.batchId, json: true }));
    expect(JSON.parse(status.out)).toMatchObject({ batchId: r1.batchId, state: 'COMPLETED' });

    const list = await capture(() => listCommand({ json: true, limit: 50 }));
    const rows = JSON.parse(list.out) as { batchId: string; state: string; ok: number }[];
    expect(rows.filter((r) => r.batchId === r1.batchId)).toEqual([
      expect.objectContaining({ state: 'COMPLETED', ok: 4 }),
    ]);

    const results = await capture(() => resultsCommand({ id: r1.batchId, json: true }));
    expect(results.code).toBe(0);
    expect(JSON.parse(results.out)).toMatchObject({ stats: { count: 4, ok: 4, failed: 0 }, failed: [] });

    // results deleted since: the same command runs the study again instead of reporting missing files
    rmSync(args.out, { recursive: true, force: true });
    const third = await capture(() => startBatch(args));
    expect(third.code).toBe(0);
    expect(JSON.parse(third.out)).toMatchObject({ batchId: r1.batchId, jobs: 4, ok: 4 });
    expect((await t.client.workflow.getHandle(r1.batchId).describe()).runId).not.toBe(d1.runId);
    expect(existsSync(join(args.out, 'batch_manifest.json'))).toBe(true);
  });

  test('retry-failed re-runs only the failed jobs once their cause is fixed', async () => {
    const dir = out('retry');
    const first = await capture(() =>
      startBatch({
        spec: join(SPECS, 'case14-heavy.yaml'),
        task: 'pf_ac',
        out: dir,
        wait: true,
        json: true,
        maxIterations: 2,
      }),
    );
    expect(first.code).toBe(1);
    const { batchId } = JSON.parse(first.out) as { batchId: string };
    const m1 = await manifestOf(dir);
    expect(m1.jobs.map((j) => `${j.scenario_id}:${j.status}`)).toEqual([
      'base:ok',
      'base:ok',
      'heavy:failed',
      'heavy:failed',
    ]);
    expect(m1.jobs[2].error).toMatch(/did not converge in 2 iterations/);
    const baseParts = readdirSync(join(dir, 'results', 'pf_ac', 'bus', 'scenario_id=base')).map((f) =>
      readFileSync(join(dir, 'results', 'pf_ac', 'bus', 'scenario_id=base', f)),
    );

    const failedList = await capture(() => resultsCommand({ id: batchId, json: true }));
    expect(failedList.code).toBe(1);
    expect(JSON.parse(failedList.out).failed).toHaveLength(2);

    const retry = await capture(() => retryFailedCommand({ id: batchId, json: true, maxIterations: 10 }));
    expect(retry.code).toBe(0);
    const m2 = await manifestOf(dir);
    expect(m2.jobs.every((j) => j.status === 'ok')).toBe(true);
    expect(m2.jobs.slice(0, 2)).toEqual(m1.jobs.slice(0, 2)); // the base chunk was not run again
    const baseAfter = readdirSync(join(dir, 'results', 'pf_ac', 'bus', 'scenario_id=base')).map((f) =>
      readFileSync(join(dir, 'results', 'pf_ac', 'bus', 'scenario_id=base', f)),
    );
    expect(baseAfter).toEqual(baseParts);
    // the batch child of the retry ran one scenario only
    const hist = await t.client.workflow.getHandle(`${batchId}/heavy`).describe();
    expect(hist.status.name).toBe('COMPLETED');
    // the run record says what the re-run chunks used, and keeps what the kept chunks used
    const rec = JSON.parse(readFileSync(join(dir, 'run_record.json'), 'utf8')) as {
      options: { solver?: { maxIt?: number } };
      retries: { solver: { maxIt?: number }; previous_solver: { maxIt?: number } }[];
    };
    expect(rec.options.solver).toEqual({ maxIt: 10 });
    expect(rec.retries).toEqual([expect.objectContaining({ solver: { maxIt: 10 }, previous_solver: { maxIt: 2 } })]);
    // list marks the runs of the one batch id
    const list = JSON.parse((await capture(() => listCommand({ json: true, limit: 50 }))).out) as {
      batchId: string;
      retry: number;
      runs: number;
      latest: boolean;
    }[];
    expect(list.filter((r) => r.batchId === batchId).map((r) => [r.retry, r.runs, r.latest])).toEqual([
      [1, 2, true],
      [0, 2, false],
    ]);
  });

  test('cancel stops a running batch; written outputs stay consistent and the manifest marks jobs not run', async () => {
    const dir = out('cancel');
    const started = await capture(() =>
      startBatch({
        spec: join(SPECS, 'case118-n1-day.yaml'),
        task: 'pf_ac',
        out: dir,
        wait: false,
        json: true,
        maxInFlight: 2,
        chunkSize: 4,
        // one workflow per scenario, one chunk activity at a time: a stopping worker finishes the
        // chunks in flight (a scenario group's activity would go on to its last scenario, and at
        // ~0.3 ms a job the whole study can be done before the cancel)
        scenarioGroups: 'never',
      }),
    );
    expect(started.code).toBe(0);
    const { batchId } = JSON.parse(started.out) as { batchId: string };
    // let a worker make some progress, then cancel
    const s = connectionSettings(readDevConfig());
    const conn = await connectWorker(s);
    const worker = await createWorker({ connection: conn, namespace: s.namespace, taskQueue: s.taskQueue });
    // until the first chunk is recorded (a fixed 4 s made no progress at all on a machine at load 25-35)
    const jobsDir = join(dir, 'jobs', 'pf_ac');
    const recorded = () =>
      existsSync(jobsDir) &&
      readdirSync(jobsDir).some((d) => readdirSync(join(jobsDir, d)).some((f) => f.endsWith('.json')));
    await worker.runUntil(
      (async () => {
        for (let i = 0; i < 900 && !recorded(); i++) await new Promise((r) => setTimeout(r, 200));
      })(),
    );
    await conn.close();
    const c = await capture(() => cancelCommand({ id: batchId, json: true }));
    expect(c.code).toBe(0);
    expect(JSON.parse(c.out).state).toBe('CANCELLED');

    const m = await manifestOf(dir);
    const ok = m.jobs.filter((j) => j.status === 'ok').length;
    const skipped = m.jobs.filter((j) => j.status === 'skipped').length;
    expect(m.jobs.length).toBe(187 * 24);
    expect(ok).toBeGreaterThan(0);
    expect(skipped).toBeGreaterThan(0);
    expect(ok + skipped + m.jobs.filter((j) => j.status === 'failed').length).toBe(m.jobs.length);
    // every part file on disk belongs to a recorded chunk; no temporary files are left
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    const files = walk(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of files.filter((x) => x.includes(`${join('results', 'pf_ac', 'summary')}`))) {
      const rec = f.replace(join('results', 'pf_ac', 'summary'), join('jobs', 'pf_ac')).replace(/\.parquet$/, '.json');
      expect(existsSync(rec)).toBe(true);
    }
  });
});
