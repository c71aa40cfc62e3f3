/**
 * `cancel` while a worker is busy solving (scenario groups, the default), the worker stopped as
 * soon as `cancel` returns: the README promises that the batch manifest is written before the
 * study closes cancelled, that it marks every job not run as `skipped`, and that what stays on
 * disk is exactly what it lists (no part without its record, no record it does not count).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cancelCommand } from '../../src/cli/cancel';
import { startBatch } from '../../src/cli/start-batch';
import { connectionSettings, readDevConfig } from '../../src/temporal/config';
import { connectWorker } from '../../src/temporal/connect';
import { createWorker } from '../../src/temporal/worker';
import type { JobRecord } from '../../src/io/job-records';
import { capture } from '../helpers/cli';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { manifestOf } from '../helpers/manifest';
import { ARTIFACTS } from '../helpers/test-server';

const SPECS = resolve(__dirname, '..', 'fixtures', 'specs-ops');
const dir = join(ARTIFACTS, 'runs', `cancel-busy-${randomBytes(3).toString('hex')}`);

const walk = (d: string): string[] =>
  existsSync(d)
    ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      )
    : [];

/** The job records on disk: ok jobs, and every chunk record's path without its extension. */
function recordsOnDisk(): { ok: number; chunks: Set<string> } {
  let ok = 0;
  const chunks = new Set<string>();
  for (const f of walk(join(dir, 'jobs', 'pf_ac')).filter((x) => x.endsWith('.json'))) {
    const recs = JSON.parse(readFileSync(f, 'utf8')) as JobRecord[];
    ok += recs.filter((r) => r.status === 'ok').length;
    chunks.add(f.slice(join(dir, 'jobs', 'pf_ac').length).replace(/\.json$/, ''));
  }
  return { ok, chunks };
}

/** Part files whose chunk has no record (must be none), and no temporary file is left. */
function orphanParts(chunks: Set<string>): string[] {
  const files = walk(join(dir, 'results', 'pf_ac'));
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  return files.filter((f) => {
    const rel = f.slice(join(dir, 'results', 'pf_ac').length); // /<table>/scenario_id=<id>/part-<k>.parquet
    return !chunks.has(rel.replace(/^\/[^/]+/, '').replace(/\.parquet$/, ''));
  });
}

describe('cancel while the worker is solving', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await testTemporal();
  });
  afterAll(async () => t?.close());

  test('the manifest is on disk when cancel returns and matches the files, also after the solve threads settle', async () => {
    const started = await capture(() =>
      startBatch({
        spec: join(SPECS, 'case118-n1-day.yaml'),
        task: 'pf_ac',
        out: dir,
        wait: false,
        json: true,
        chunkSize: 4,
      }),
    );
    expect(started.code).toBe(0);
    const { batchId } = JSON.parse(started.out) as { batchId: string };
    const s = connectionSettings(readDevConfig());
    const conn = await connectWorker(s);
    const worker = await createWorker({ connection: conn, namespace: s.namespace, taskQueue: s.taskQueue });
    let cancelled: Awaited<ReturnType<typeof capture>> | undefined;
    // the worker solves until cancel has returned, then stops at once
    await worker.runUntil(
      (async () => {
        for (let i = 0; i < 900 && recordsOnDisk().chunks.size < 3; i++) await new Promise((r) => setTimeout(r, 200));
        cancelled = await capture(() => cancelCommand({ id: batchId, json: true }));
      })(),
    );
    await conn.close();
    expect(cancelled?.code).toBe(0);
    expect(JSON.parse(cancelled?.out ?? '{}')).toMatchObject({ batchId, state: 'CANCELLED' });

    // right after cancel returned
    expect(existsSync(join(dir, 'batch_manifest.json'))).toBe(true);
    expect(existsSync(join(dir, 'batch_manifest.parquet'))).toBe(true);
    const m = await manifestOf(dir);
    expect(m.jobs.length).toBe(187 * 24);
    const ok = m.jobs.filter((j) => j.status === 'ok').length;
    const failed = m.jobs.filter((j) => j.status === 'failed').length;
    const skipped = m.jobs.filter((j) => j.status === 'skipped').length;
    expect(ok).toBeGreaterThan(0);
    // on a fast machine the cancel can reach the study only after its last chunk (a group learns of
    // it at its next heartbeat): then nothing is skipped, and the manifest must still be there
    // (the manifest stage is not cancellable)
    expect(ok + failed + skipped).toBe(187 * 24);
    expect([m.success, m.failure, m.skipped]).toEqual([ok, failed, skipped]);
    const now = recordsOnDisk();
    expect(now.ok).toBe(ok);
    expect(orphanParts(now.chunks)).toEqual([]);

    // a chunk still running in a solve thread when the study closed must not change the files afterwards
    await new Promise((r) => setTimeout(r, 3000));
    const later = recordsOnDisk();
    expect(later.ok).toBe(ok);
    expect([...later.chunks].sort()).toEqual([...now.chunks].sort());
    expect(orphanParts(later.chunks)).toEqual([]);
  });
});
