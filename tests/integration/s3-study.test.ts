/**
 * Studies in S3-compatible object storage, against a real server (SeaweedFS, built by the
 * project's setup: scripts/ensure-seaweedfs.cjs) and the test Temporal server:
 * - two worker processes, each in an empty folder of its own (working folder, TMPDIR, study
 *   cache, bundle cache: no path in common), and a client in a third folder that has none of the
 *   inputs on disk (`start-batch --spec s3://... --out s3://...`); the outputs equal a local-disk
 *   run of the same study (every Parquet table read back by DuckDB), the bucket holds exactly the
 *   files the local run wrote, and no unfinished upload;
 * - a worker SIGKILLed in the middle of an upload (result parts up, job records not yet): the
 *   study completes on the other worker with the same outputs, nothing lost or duplicated;
 * - pyarrow's S3FileSystem reads the Hive layout from the bucket; results / report run on it;
 * - retry-failed works from what the bucket holds: AC power flow with one Newton iteration fails
 *   every job, retry-failed with ten solves them all, into the same keys; in the bucket layout
 *   too (`--partition-by bucket`), whose parts are rewritten under the same keys and whose rows,
 *   read back by DuckDB, equal the per-scenario study's.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { S3Store } from '../../src/io/storage/s3-store';
import { studyCacheName } from '../../src/io/storage/study-cache';
import { studyDigest, StudyDigest } from '../chaos/digest';
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
import { query } from '../helpers/duckdb';

const WHERE = 'tests/integration/s3-study.test.ts';
const BUCKET = 'gridbatch-test';
const SPEC = join(REPO, 'examples', 'case14-n1.yaml');
const CASE = join(REPO, 'examples', 'cases', 'case14.m');
const skip = skipGroup('seaweedfs', WHERE);

/** What must be equal between two runs of a study: tables (rows, without timings), jobs, stats, the file list. */
function comparable(d: StudyDigest) {
  return {
    tables: d.tables,
    jobs: d.jobs,
    stats: d.stats,
    files: d.files,
    shaMismatches: d.shaMismatches,
    tmpFiles: d.tmpFiles,
  };
}

(skip ? describe.skip : describe)('studies in S3-compatible object storage (SeaweedFS)', () => {
  const root = join(ARTIFACTS, `s3-study-${randomBytes(3).toString('hex')}`);
  const address = () => `127.0.0.1:${testPort()}`;
  let s3: S3TestServer;
  let local: StudyDigest;
  const saved: Record<string, string | undefined> = {};
  const procs: IsolatedProcess[] = [];

  /** A client process in an empty folder of its own. */
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
    // the inputs live only in the bucket: nothing on the client's or the workers' disks
    const inputs = new S3Store(`s3://${BUCKET}/inputs`);
    await inputs.upload('case14-n1.yaml', SPEC);
    await inputs.upload('cases/case14.m', CASE);
    // the same study on the local disk, for comparison (in-process worker on the test server)
    const out = join(root, 'local-out');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'client.ts', 'start-batch', '--spec', SPEC, '--task', 'pf_dc', '--out', out, '--json'],
      {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 480_000,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          GRIDBATCH_TASK_QUEUE: `s3-local-${randomBytes(3).toString('hex')}`,
          GRIDBATCH_SOLVE_THREADS: '1',
        },
      },
    );
    if (r.status !== 0) throw new Error(`local run failed (${r.status}): ${r.stderr}\n${r.stdout}`);
    local = await studyDigest(out);
  }, 900_000);

  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await s3?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (!process.env.GRIDBATCH_KEEP_TEST_ARTIFACTS) rmSync(root, { recursive: true, force: true });
  });

  /** Checks the study at s3://BUCKET/<prefix> against the local run; returns its downloaded folder. */
  async function expectEqualToLocal(prefix: string): Promise<string> {
    const url = `s3://${BUCKET}/${prefix}`;
    const dest = join(root, `downloaded-${prefix.replace(/\W+/g, '-')}`);
    const keys = await downloadStudy(url, dest);
    const remote = await studyDigest(dest);
    expect(comparable(remote)).toEqual(comparable(local));
    // exactly the local run's files: no temporary keys, nothing extra, nothing missing
    expect(keys.sort()).toEqual(local.files.map((f) => f.split(sep).join('/')).sort());
    expect(await unfinishedUploads(s3.endpoint, s3.env, BUCKET, prefix)).toEqual([]);
    return dest;
  }

  test('two workers with no folder in common and a client without the inputs: outputs equal the local run, no stray objects', async () => {
    const q = `s3-${randomBytes(3).toString('hex')}`;
    const workers = ['worker-a', 'worker-b'].map((n) =>
      startWorker(join(root, n), isolatedEnv(join(root, n), address(), q, s3.env)),
    );
    procs.push(...workers);
    await Promise.all(workers.map((w) => w.waitForLog('gridbatch worker:', 240_000)));
    const r = await client(
      'client',
      [
        'start-batch',
        '--spec',
        `s3://${BUCKET}/inputs/case14-n1.yaml`,
        '--task',
        'pf_dc',
        '--out',
        `s3://${BUCKET}/studies/two-workers`,
        '--json',
      ],
      q,
    );
    expect({ code: r.code, log: r.code === 0 ? '' : r.log }).toEqual({ code: 0, log: '' });
    const result = JSON.parse(r.log.slice(r.log.indexOf('{'))) as { jobs: number; ok: number; outDir: string };
    expect(result).toMatchObject({ jobs: 46, ok: 46, outDir: `s3://${BUCKET}/studies/two-workers` });
    const dest = await expectEqualToLocal('studies/two-workers');
    // both workers solved chunks: each downloaded the base grid into its own cache, once
    const cache = studyCacheName(`s3://${BUCKET}/studies/two-workers`);
    for (const w of workers)
      expect(existsSync(join(w.dir, 'tmp', 'gridbatch-study-cache', cache, 'mirror', 'grid', 'bus.arrow'))).toBe(true);
    // what the study records points at the bucket, not at a worker's folder
    const card = JSON.parse(readFileSync(join(dest, 'features', 'croissant.json'), 'utf8')) as {
      distribution?: { contentUrl?: string }[];
      url?: string;
    };
    expect(JSON.stringify(card)).toContain(`s3://${BUCKET}/studies/two-workers/features`);
    for (const f of ['scenario_manifest.json', 'run_record.json', 'features/croissant.json']) {
      expect(readFileSync(join(dest, f), 'utf8')).not.toMatch(/worker-[ab]|gridbatch-study-cache/);
    }
    for (const w of workers) await w.stop();
  }, 900_000);

  test('a worker SIGKILLed during an upload: the study completes, nothing lost or duplicated', async () => {
    const q = `s3-kill-${randomBytes(3).toString('hex')}`;
    // worker A pauses each upload between the result parts and the job records (test hook) for 10 minutes
    const a = startWorker(
      join(root, 'kill-a'),
      isolatedEnv(join(root, 'kill-a'), address(), q, s3.env, { GRIDBATCH_TEST_UPLOAD_PAUSE_MS: '600000' }),
    );
    const b = startWorker(join(root, 'kill-b'), isolatedEnv(join(root, 'kill-b'), address(), q, s3.env));
    procs.push(a, b);
    await Promise.all([a, b].map((w) => w.waitForLog('gridbatch worker:', 240_000)));
    const run = client(
      'client-kill',
      [
        'start-batch',
        '--spec',
        `s3://${BUCKET}/inputs/case14-n1.yaml`,
        '--task',
        'pf_dc',
        '--out',
        `s3://${BUCKET}/studies/killed`,
        '--json',
      ],
      q,
    );
    await a.waitForLog(/upload paused after [1-9]\d* objects/, 480_000);
    await a.kill('SIGKILL');
    const r = await run;
    expect({ code: r.code, log: r.code === 0 ? '' : r.log }).toEqual({ code: 0, log: '' });
    await expectEqualToLocal('studies/killed');
    await b.stop();
  }, 900_000);

  test('pyarrow reads the Hive layout from the bucket; results and report run on the s3:// study', async () => {
    if (skipGroup('pyarrow', WHERE)) return;
    const py = spawnSync(
      'python3',
      [resolve(REPO, 'tests', 'python', 'read_s3_hive.py'), s3.endpoint, `${BUCKET}/studies/two-workers`, 'pf_dc'],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, ...s3.env },
      },
    );
    expect(py.stderr).toBe('');
    const got = JSON.parse(py.stdout) as Record<string, { rows: number; scenarios: number }> & {
      manifest_jobs: number;
    };
    const rows = (t: string) => local.tables[`results/pf_dc/${t}`].rows;
    expect(got.summary).toEqual({ rows: 46, scenarios: 23 });
    expect(got.bus.rows).toBe(rows('bus'));
    expect(got.branch.rows).toBe(rows('branch'));
    expect(got.gen.rows).toBe(rows('gen'));
    expect(got.manifest_jobs).toBe(46);

    const q = `s3-cli-${randomBytes(3).toString('hex')}`;
    const batchId = (
      JSON.parse(readFileSync(join(root, 'downloaded-studies-two-workers', 'run_record.json'), 'utf8')) as {
        batch_id: string;
      }
    ).batch_id;
    const res = await client('client-results', ['results', '--id', batchId, '--json'], q, 240_000);
    expect(res.code).toBe(0);
    const paths = (JSON.parse(res.log.slice(res.log.indexOf('{'))) as { paths: Record<string, string> }).paths;
    expect(paths.results).toBe(`s3://${BUCKET}/studies/two-workers/results/pf_dc`);
    const rep = await client('client-report', ['report', '--id', batchId, '--json'], q, 240_000);
    expect(rep.code).toBe(0);
    expect((JSON.parse(rep.log.slice(rep.log.indexOf('{'))) as { dir: string }).dir).toBe(
      `s3://${BUCKET}/studies/two-workers/report`,
    );
    // the report written again replaced its objects: still exactly the local run's files
    await expectEqualToLocal('studies/two-workers');
  }, 900_000);

  /** A pf_ac study whose every job fails (one Newton iteration), then retry-failed with ten, in `layout`. */
  async function failThenRetry(
    layout: 'scenario_id' | 'bucket',
  ): Promise<{ url: string; before: string[]; after: string[] }> {
    const q = `s3-retry-${layout}-${randomBytes(3).toString('hex')}`;
    const w = startWorker(
      join(root, `retry-worker-${layout}`),
      isolatedEnv(join(root, `retry-worker-${layout}`), address(), q, s3.env),
    );
    procs.push(w);
    await w.waitForLog('gridbatch worker:', 240_000);
    const url = `s3://${BUCKET}/studies/retry-${layout}`;
    const first = await client(
      `client-retry-${layout}-1`,
      [
        'start-batch',
        '--spec',
        `s3://${BUCKET}/inputs/case14-n1.yaml`,
        '--task',
        'pf_ac',
        '--max-iterations',
        '1',
        '--partition-by',
        layout,
        '--skip-featurize',
        '--skip-report',
        '--out',
        url,
        '--json',
      ],
      q,
    );
    expect(first.code).toBe(1); // one Newton iteration does not converge: every job failed
    const r1 = JSON.parse(first.log.slice(first.log.indexOf('{'))) as { batchId: string; ok: number; failed: number };
    expect({ ok: r1.ok, failed: r1.failed }).toEqual({ ok: 0, failed: 46 });
    const store = new S3Store(url);
    const before = (await store.list('')).map((o) => o.key);
    const retry = await client(
      `client-retry-${layout}-2`,
      ['retry-failed', '--id', r1.batchId, '--max-iterations', '10', '--json'],
      q,
    );
    expect({ code: retry.code, log: retry.code === 0 ? '' : retry.log }).toEqual({ code: 0, log: '' });
    expect(JSON.parse(retry.log.slice(retry.log.indexOf('{')))).toMatchObject({ ok: 46, failed: 0 });
    const after = (await store.list('')).map((o) => o.key);
    expect(after.filter((k) => k.endsWith('.tmp'))).toEqual([]);
    expect(await unfinishedUploads(s3.endpoint, s3.env, BUCKET, `studies/retry-${layout}`)).toEqual([]);
    const rec = JSON.parse((await store.get('run_record.json'))!.toString('utf8')) as {
      retries?: unknown[];
      options: { solver?: { maxIt?: number } };
    };
    expect(rec.retries).toHaveLength(1);
    expect(rec.options.solver?.maxIt).toBe(10);
    await w.stop();
    return { url, before, after };
  }

  /** Result and job-record part keys of a study. */
  const parts = (keys: string[]) => keys.filter((k) => k.startsWith('results/') || k.startsWith('jobs/'));
  const retried: Partial<Record<'scenario_id' | 'bucket', string>> = {};

  test('retry-failed works from what the bucket holds and replaces the failed chunks in place', async () => {
    const { url, before, after } = await failThenRetry('scenario_id');
    // the same keys (the chunks replaced in place; parts of all four tables, now with rows), no others
    expect(parts(after)).toEqual([...parts(before), ...parts(after).filter((k) => !before.includes(k))].sort());
    expect(parts(after).filter((k) => k.startsWith('results/pf_ac/bus/')).length).toBe(23);
    expect(parts(after).filter((k) => k.startsWith('jobs/pf_ac/')).length).toBe(23);
    retried.scenario_id = url;
  }, 900_000);

  test('retry-failed on a study in the bucket layout leaves no orphan part and no duplicate row; its rows equal the per-scenario study', async () => {
    const { url, before, after } = await failThenRetry('bucket');
    // the failed parts were rewritten without their failed chunks and the rerun chunks written as parts of their
    // own: every key is a bucket part, and every result part has its job-record part of the same name (no orphan)
    expect(parts(after).length).toBeGreaterThan(parts(before).length);
    expect(parts(after).every((k) => /\/bucket=\d{5}\/part-\d{7}-\d{5}\.parquet$/.test(k))).toBe(true);
    const partName = (k: string) => k.slice(k.indexOf('/bucket='));
    const recordParts = new Set(after.filter((k) => k.startsWith('jobs/pf_ac/')).map(partName));
    expect(after.filter((k) => k.startsWith('results/pf_ac/') && !recordParts.has(partName(k)))).toEqual([]);
    // the same rows, read back by DuckDB, as the same study retried in the per-scenario layout (values to 1e-9:
    // the two layouts chunk the jobs differently, so warm starts differ and Newton lands within its tolerance)
    expect(retried.scenario_id).toBeDefined();
    const bucketDir = join(root, 'downloaded-retry-bucket');
    const scenarioDir = join(root, 'downloaded-retry-scenario');
    await downloadStudy(url, bucketDir);
    await downloadStudy(retried.scenario_id!, scenarioDir);
    const rows = (dir: string, table: string) =>
      `read_parquet('${join(dir, 'results', 'pf_ac', table).replace(/'/g, "''")}/*/*.parquet', hive_partitioning = false, union_by_name = true)`;
    const [bus] = await query(
      `select count(*) as n, count(distinct (a.scenario_id, a.time, a.bus_id)) as keys,
        max(abs(a.vm_pu - b.vm_pu)) as dvm, max(abs(a.va_deg - b.va_deg)) as dva, max(abs(a.p_mw - b.p_mw)) as dp
       from ${rows(bucketDir, 'bus')} a join ${rows(scenarioDir, 'bus')} b using (scenario_id, time, bus_id)`,
    );
    expect(bus).toMatchObject({ n: 46 * 14, keys: 46 * 14 });
    expect(Math.max(Number(bus.dvm), Number(bus.dva), Number(bus.dp))).toBeLessThan(1e-9);
    const [branch] = await query(
      `select count(*) as n, max(abs(a.pf_mw - b.pf_mw)) as dpf, max(abs(a.qt_mvar - b.qt_mvar)) as dqt
       from ${rows(bucketDir, 'branch')} a join ${rows(scenarioDir, 'branch')} b using (scenario_id, time, branch_index)`,
    );
    expect(branch.n).toBe(920);
    expect(Math.max(Number(branch.dpf), Number(branch.dqt))).toBeLessThan(1e-9);
    for (const table of ['branch', 'bus', 'gen', 'summary']) {
      const [c] = await query(`select count(*) as n from ${rows(bucketDir, table)}`);
      const [d] = await query(`select count(*) as n from ${rows(scenarioDir, table)}`);
      expect({ table, n: c.n }).toEqual({ table, n: d.n });
    }
    const [summary] = await query(
      `select count(*) as n, sum(case when a.status = 'ok' and a.converged then 1 else 0 end) as ok
       from ${rows(bucketDir, 'summary')} a join ${rows(scenarioDir, 'summary')} b using (scenario_id, time)`,
    );
    expect(summary).toMatchObject({ n: 46, ok: 46 });
  }, 900_000);
});
