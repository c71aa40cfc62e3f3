/**
 * `cancel` of a study whose outputs go to S3-compatible object storage (SeaweedFS, as in
 * s3-study.test.ts), while a worker process in a folder of its own is solving: the README
 * promises that the batch manifest is in the bucket when `cancel` returns, that every job not
 * run is marked `skipped`, and that the bucket holds exactly what the manifest lists: no result
 * part without its job records, no record it does not count, no temporary key, no unfinished
 * multipart upload, and nothing written after the study closed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord } from '../../src/io/job-records';
import { S3Store } from '../../src/io/storage/s3-store';
import { manifestOf } from '../helpers/manifest';
import { skipGroup } from '../helpers/requirements';
import { startS3Server, S3TestServer } from '../helpers/s3-server';
import {
  downloadStudy,
  IsolatedProcess,
  isolatedEnv,
  REPO,
  runIsolatedClient,
  startWorker,
  unfinishedUploads,
} from '../helpers/s3-study';
import { ARTIFACTS, testPort } from '../helpers/test-server';

const WHERE = 'tests/integration/s3-cancel.test.ts';
const BUCKET = 'gridbatch-cancel';
const SPEC = join(REPO, 'tests', 'fixtures', 'specs-ops', 'case118-n1-day.yaml');
const CASE = join(REPO, 'examples', 'cases', 'case118.m');
const JOBS = 187 * 24;
const skip = skipGroup('seaweedfs', WHERE);

/** ok jobs in the job-record keys, and each record key's chunk (task folder and extension cut off). */
async function recordsInBucket(store: S3Store): Promise<{ ok: number; chunks: Set<string> }> {
  let ok = 0;
  const chunks = new Set<string>();
  for (const o of await store.list('jobs/pf_ac/')) {
    if (!o.key.endsWith('.json')) continue;
    const recs = JSON.parse((await store.get(o.key))!.toString('utf8')) as JobRecord[];
    ok += recs.filter((r) => r.status === 'ok').length;
    chunks.add(o.key.slice('jobs/pf_ac/'.length).replace(/\.json$/, ''));
  }
  return { ok, chunks };
}

/** Result part keys whose chunk has no job records (results/pf_ac/<table>/<chunk>.parquet). */
function orphanParts(keys: string[], chunks: Set<string>): string[] {
  return keys
    .filter((k) => k.startsWith('results/pf_ac/'))
    .filter((k) => !chunks.has(k.replace(/^results\/pf_ac\/[^/]+\//, '').replace(/\.parquet$/, '')));
}

(skip ? describe.skip : describe)('cancel of a study in S3-compatible object storage (SeaweedFS)', () => {
  const root = join(ARTIFACTS, `s3-cancel-${randomBytes(3).toString('hex')}`);
  const address = () => `127.0.0.1:${testPort()}`;
  let s3: S3TestServer;
  const saved: Record<string, string | undefined> = {};
  const procs: IsolatedProcess[] = [];

  const client = (name: string, args: string[], taskQueue: string, timeoutMs = 480_000) =>
    runIsolatedClient(join(root, name), args, address(), taskQueue, s3.env, procs, timeoutMs);
  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    s3 = await startS3Server();
    await s3.createBucket(BUCKET);
    for (const [k, v] of Object.entries(s3.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const spec = readFileSync(SPEC, 'utf8').replace(/^grid_file: .*$/m, 'grid_file: cases/case118.m');
    const specFile = join(root, 'case118-n1-day.yaml');
    writeFileSync(specFile, spec);
    const inputs = new S3Store(`s3://${BUCKET}/inputs`);
    await inputs.upload('case118-n1-day.yaml', specFile);
    await inputs.upload('cases/case118.m', CASE);
  }, 300_000);

  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await s3?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (!process.env.GRIDBATCH_KEEP_TEST_ARTIFACTS) rmSync(root, { recursive: true, force: true });
  });

  test('the manifest is in the bucket when cancel returns and matches the keys, also after the worker stops', async () => {
    const q = `s3-cancel-${randomBytes(3).toString('hex')}`;
    const w = startWorker(join(root, 'worker'), isolatedEnv(join(root, 'worker'), address(), q, s3.env));
    procs.push(w);
    await w.waitForLog('gridbatch worker:', 240_000);
    const url = `s3://${BUCKET}/studies/cancelled`;
    const started = await client(
      'client-start',
      [
        'start-batch',
        '--spec',
        `s3://${BUCKET}/inputs/case118-n1-day.yaml`,
        '--task',
        'pf_ac',
        '--chunk-size',
        '4',
        '--out',
        url,
        '--no-wait',
        '--json',
      ],
      q,
    );
    expect({ code: started.code, log: started.code === 0 ? '' : started.log }).toEqual({ code: 0, log: '' });
    const { batchId } = JSON.parse(started.log.slice(started.log.indexOf('{'))) as { batchId: string };
    const store = new S3Store(url);
    // cancel once the worker has written a few chunks
    for (let i = 0; i < 1200 && (await store.list('jobs/pf_ac/')).length < 3; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect((await store.list('jobs/pf_ac/')).length).toBeGreaterThanOrEqual(3);
    const cancelled = await client('client-cancel', ['cancel', '--id', batchId, '--json'], q);
    expect({ code: cancelled.code, log: cancelled.code === 0 ? '' : cancelled.log }).toEqual({ code: 0, log: '' });
    expect(JSON.parse(cancelled.log.slice(cancelled.log.indexOf('{')))).toMatchObject({ batchId, state: 'CANCELLED' });
    await w.stop();

    // right after cancel returned and the worker stopped
    const dest = join(root, 'downloaded');
    const keys = await downloadStudy(url, dest);
    expect(keys).toEqual(expect.arrayContaining(['batch_manifest.json', 'batch_manifest.parquet']));
    const m = await manifestOf(dest);
    expect(m.jobs.length).toBe(JOBS);
    const ok = m.jobs.filter((j) => j.status === 'ok').length;
    const failed = m.jobs.filter((j) => j.status === 'failed').length;
    const skipped = m.jobs.filter((j) => j.status === 'skipped').length;
    expect(ok).toBeGreaterThan(0);
    // a cancel that reaches the study only after its last chunk skips nothing (see cancel-manifest.test.ts)
    expect(ok + failed + skipped).toBe(JOBS);
    expect([m.success, m.failure, m.skipped]).toEqual([ok, failed, skipped]);
    const now = await recordsInBucket(store);
    expect(now.ok).toBe(ok);
    expect(orphanParts(keys, now.chunks)).toEqual([]);
    expect(keys.filter((k) => k.endsWith('.tmp'))).toEqual([]);
    expect(await unfinishedUploads(s3.endpoint, s3.env, BUCKET, 'studies/cancelled')).toEqual([]);

    // nothing changes afterwards: no chunk still in flight lands in the bucket
    await new Promise((r) => setTimeout(r, 3000));
    expect((await store.list('')).map((o) => o.key).sort()).toEqual([...keys].sort());
  }, 900_000);
});
