/** The task queue start-batch submits to (the test config's). */
const readTaskQueue = (): string => connectionSettings(readDevConfig()).taskQueue;

/**
 * --job-timeout on the real dev server: the jobs of a scenario whose AC power flow diverges for
 * minutes (case14 at 6x load with --max-iterations 2000000) are stopped and recorded as failed
 * jobs with the timeout as their reason; the other scenario's jobs and the batch go on. The stop
 * is cooperative (src/solvers/stop.ts); tests/io/chunk-stop.test.ts covers cancel and both LUs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cancelCommand } from '../../src/cli/cancel';
import { startBatch } from '../../src/cli/start-batch';
import { connectionSettings, readDevConfig } from '../../src/temporal/config';
import { createWorker } from '../../src/temporal/worker';
import { capture } from '../helpers/cli';
import { hiveTable, query } from '../helpers/duckdb';
import { manifestOf } from '../helpers/manifest';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';
import { skipGroup } from '../helpers/requirements';
import { defaultLuBackend } from '../../src/solvers/sparse/lu-backend';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs-ops', 'case14-collapse.yaml');

describe('--job-timeout', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await testTemporal();
  });
  afterAll(async () => t?.close());

  test('a job over the timeout is a failed job with that reason; the batch completes', async () => {
    // with libklu installed the diverging solve runs on KLU: the stop must not end a thread inside
    // native code (that segfaulted the worker process, and with it this test)
    if (!skipGroup('klu', '--job-timeout on KLU')) expect(defaultLuBackend()).toBe('klu');
    const out = join(ARTIFACTS, 'runs', `timeout-${randomBytes(3).toString('hex')}`);
    const r = await capture(() =>
      startBatch({
        spec: SPEC,
        task: 'pf_ac',
        out,
        wait: true,
        json: true,
        maxIterations: 2_000_000,
        jobTimeout: 2,
        skipFeaturize: true,
        skipReport: true,
      }),
    );
    expect(r.code).toBe(1); // some jobs failed
    expect(JSON.parse(r.out)).toMatchObject({ jobs: 4, ok: 2, failed: 2 });
    const m = await manifestOf(out);
    expect(m.jobs.map((j) => [j.scenario_id, j.status])).toEqual([
      ['base', 'ok'],
      ['base', 'ok'],
      ['collapse', 'failed'],
      ['collapse', 'failed'],
    ]);
    for (const j of m.jobs.filter((x) => x.status === 'failed'))
      expect(j.error).toBe('job timeout after 2 s (--job-timeout)');
    const rows = await query(
      `select scenario_id, status, error from ${hiveTable(join(out, 'results', 'pf_ac', 'summary'))} where scenario_id = 'collapse'`,
    );
    expect(rows).toEqual([
      { scenario_id: 'collapse', status: 'failed', error: 'job timeout after 2 s (--job-timeout)' },
      { scenario_id: 'collapse', status: 'failed', error: 'job timeout after 2 s (--job-timeout)' },
    ]);
    const record = JSON.parse(readFileSync(join(out, 'run_record.json'), 'utf8')) as {
      options: { solver?: { jobTimeoutS?: number } };
    };
    expect(record.options.solver?.jobTimeoutS).toBe(2);
  }, 300_000);

  test('cancel while a job is solving (on KLU where installed): the batch ends cancelled within seconds and the process survives', async () => {
    if (!skipGroup('klu', 'cancel on KLU')) expect(defaultLuBackend()).toBe('klu');
    const out = join(ARTIFACTS, 'runs', `cancel-solving-${randomBytes(3).toString('hex')}`);
    // no timeout: the collapse jobs would run for minutes; solve chunks as activities that heartbeat
    const started = await capture(() =>
      startBatch({
        spec: SPEC,
        task: 'pf_ac',
        out,
        wait: false,
        json: true,
        maxIterations: 2_000_000,
        localActivities: 'never',
        scenarioGroups: 'never',
        skipFeaturize: true,
        skipReport: true,
      }),
    );
    expect(started.code).toBe(0);
    const { batchId } = JSON.parse(started.out) as { batchId: string };
    const worker = await createWorker({
      connection: t.nativeConnection,
      namespace: t.namespace,
      taskQueue: readTaskQueue(),
    });
    let cancelS = NaN;
    await worker.runUntil(
      (async () => {
        // until the base scenario's chunk is recorded: the collapse chunk is solving then (or about to)
        const rec = join(out, 'jobs', 'pf_ac', 'scenario_id=base');
        for (let i = 0; i < 600 && !(existsSync(rec) && readdirSync(rec).length > 0); i++)
          await new Promise((r) => setTimeout(r, 200));
        await new Promise((r) => setTimeout(r, 2000));
        const t0 = Date.now();
        const c = await capture(() => cancelCommand({ id: batchId, json: true }));
        cancelS = (Date.now() - t0) / 1000;
        expect(c.code).toBe(0);
        expect(JSON.parse(c.out).state).toBe('CANCELLED');
      })(),
    );
    expect(cancelS).toBeLessThan(30);
    // the stopped chunk wrote nothing; the base scenario's chunk is recorded
    expect(existsSync(join(out, 'jobs', 'pf_ac', 'scenario_id=collapse'))).toBe(false);
    expect(readdirSync(join(out, 'jobs', 'pf_ac', 'scenario_id=base')).length).toBeGreaterThan(0);
  }, 300_000);

  test('--job-timeout must be a positive number (exit 2, nothing started)', async () => {
    const r = await capture(() =>
      startBatch({
        spec: SPEC,
        task: 'pf_ac',
        out: join(ARTIFACTS, 'runs', 'timeout-bad'),
        wait: true,
        jobTimeout: -1,
      }).catch((e: Error) => {
        console.error(e.message);
        return 2;
      }),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--job-timeout must be a positive number of seconds/);
  });
});
