/**
 * --job-timeout on the real dev server: the jobs of a scenario whose AC power flow diverges for
 * minutes (case14 at 6x load with --max-iterations 2000000) are stopped and recorded as failed
 * jobs with the timeout as their reason; the other scenario's jobs and the batch go on.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startBatch } from '../../src/cli/start-batch';
import { capture } from '../helpers/cli';
import { hiveTable, query } from '../helpers/duckdb';
import { manifestOf } from '../helpers/manifest';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs-ops', 'case14-collapse.yaml');

describe('--job-timeout', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await testTemporal();
  });
  afterAll(async () => t?.close());

  test('a job over the timeout is a failed job with that reason; the batch completes', async () => {
    const out = join(ARTIFACTS, 'runs', `timeout-${randomBytes(3).toString('hex')}`);
    const r = await capture(() => startBatch({ spec: SPEC, task: 'pf_ac', out, wait: true, json: true, maxIterations: 2_000_000, jobTimeout: 2, skipFeaturize: true, skipReport: true }));
    expect(r.code).toBe(1); // some jobs failed
    expect(JSON.parse(r.out)).toMatchObject({ jobs: 4, ok: 2, failed: 2 });
    const m = await manifestOf(out);
    expect(m.jobs.map((j) => [j.scenario_id, j.status])).toEqual([['base', 'ok'], ['base', 'ok'], ['collapse', 'failed'], ['collapse', 'failed']]);
    for (const j of m.jobs.filter((x) => x.status === 'failed')) expect(j.error).toBe('job timeout after 2 s (--job-timeout)');
    const rows = await query(`select scenario_id, status, error from ${hiveTable(join(out, 'results', 'pf_ac', 'summary'))} where scenario_id = 'collapse'`);
    expect(rows).toEqual([
      { scenario_id: 'collapse', status: 'failed', error: 'job timeout after 2 s (--job-timeout)' },
      { scenario_id: 'collapse', status: 'failed', error: 'job timeout after 2 s (--job-timeout)' },
    ]);
    const record = JSON.parse(readFileSync(join(out, 'run_record.json'), 'utf8')) as { options: { solver?: { jobTimeoutS?: number } } };
    expect(record.options.solver?.jobTimeoutS).toBe(2);
  }, 300_000);

  test('--job-timeout must be a positive number (exit 2, nothing started)', async () => {
    const r = await capture(() => startBatch({ spec: SPEC, task: 'pf_ac', out: join(ARTIFACTS, 'runs', 'timeout-bad'), wait: true, jobTimeout: -1 }).catch((e: Error) => { console.error(e.message); return 2; }));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--job-timeout must be a positive number of seconds/);
  });
});
