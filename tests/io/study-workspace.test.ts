/**
 * The local working folder of a stage on a study in a store (io/storage/study-workspace.ts), on
 * the local-disk store (the S3 one runs in tests/integration/s3-study.test.ts): what the stage
 * reads is there, what it writes is uploaded to the same keys in order (job records after
 * parts, the manifest last), what it removes is deleted, a failed stage uploads nothing, local
 * paths become the store's location, and unchanged inputs are not uploaded back.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../../src/io/atomic';
import { LocalStore } from '../../src/io/storage/local-store';
import { forgetFetched } from '../../src/io/storage/study-cache';
import { withStoreDir } from '../../src/io/storage/study-workspace';
import { ARTIFACTS } from '../helpers/test-server';

describe('a stage on a study in a store', () => {
  const root = join(ARTIFACTS, `study-workspace-${randomBytes(3).toString('hex')}`);
  const storeDir = join(root, 'store');
  let store: LocalStore;
  const saved = process.env.GRIDBATCH_STUDY_CACHE;

  beforeEach(() => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(join(storeDir, 'grid'), { recursive: true });
    mkdirSync(join(storeDir, 'jobs', 'pf_dc'), { recursive: true });
    writeFileSync(join(storeDir, 'grid', 'bus.arrow'), 'grid');
    writeFileSync(join(storeDir, 'scenario_manifest.json'), '{"a":1}');
    writeFileSync(join(storeDir, 'jobs', 'pf_dc', 'old.json'), 'old');
    process.env.GRIDBATCH_STUDY_CACHE = join(root, 'cache');
    forgetFetched();
    store = new LocalStore(storeDir);
  });

  afterAll(() => {
    if (saved === undefined) delete process.env.GRIDBATCH_STUDY_CACHE;
    else process.env.GRIDBATCH_STUDY_CACHE = saved;
    rmSync(root, { recursive: true, force: true });
  });

  test('reads are there, writes are uploaded in order, removals deleted, local paths rewritten', async () => {
    const order: string[] = [];
    const upload = store.upload.bind(store);
    store.upload = async (key, src) => {
      order.push(key);
      await upload(key, src);
    };
    const result = await withStoreDir(
      store,
      { readOnce: ['grid/', 'scenario_manifest.json'], read: ['jobs/pf_dc/'] },
      (dir) => {
        expect(readFileSync(join(dir, 'grid', 'bus.arrow'), 'utf8')).toBe('grid');
        expect(readFileSync(join(dir, 'jobs', 'pf_dc', 'old.json'), 'utf8')).toBe('old');
        writeFileAtomic(
          join(dir, 'batch_manifest.json'),
          JSON.stringify({ grid: join(dir, 'grid'), card: `file://${join(dir, 'features')}` }),
        );
        writeFileAtomic(join(dir, 'jobs', 'pf_dc', 'part-00000.json'), '[]');
        writeFileAtomic(join(dir, 'results', 'pf_dc', 'bus', 'part-00000.parquet'), 'rows');
        rmSync(join(dir, 'jobs', 'pf_dc', 'old.json'));
        return { dir: join(dir, 'report') };
      },
    );
    expect(order).toEqual([
      'results/pf_dc/bus/part-00000.parquet',
      'jobs/pf_dc/part-00000.json',
      'batch_manifest.json',
    ]);
    expect(existsSync(join(storeDir, 'jobs', 'pf_dc', 'old.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(storeDir, 'batch_manifest.json'), 'utf8'))).toEqual({
      grid: `${storeDir}/grid`,
      card: `${storeDir}/features`,
    });
    expect(result).toEqual({ dir: `${storeDir}/report` });
    // the private folder is gone; the cache keeps the inputs for the next stage
    expect(readFileSync(join(storeDir, 'grid', 'bus.arrow'), 'utf8')).toBe('grid');
  });

  test('a folder the stage writes whole loses the keys it did not write (replace)', async () => {
    mkdirSync(join(storeDir, 'features', 'gnn', 'nodes'), { recursive: true });
    mkdirSync(join(storeDir, 'features', 'opfdata', 'bus'), { recursive: true });
    writeFileSync(join(storeDir, 'features', 'gnn', 'nodes', 'part-999999.parquet'), 'stale');
    writeFileSync(join(storeDir, 'features', 'opfdata', 'bus', 'part-000000.parquet'), 'other layout');
    await withStoreDir(store, { read: ['jobs/pf_dc/'], replace: ['features/gnn/'] }, (dir) => {
      writeFileAtomic(join(dir, 'features', 'gnn', 'nodes', 'part-000000.parquet'), 'new');
    });
    expect(readFileSync(join(storeDir, 'features', 'gnn', 'nodes', 'part-000000.parquet'), 'utf8')).toBe('new');
    expect(existsSync(join(storeDir, 'features', 'gnn', 'nodes', 'part-999999.parquet'))).toBe(false);
    expect(readFileSync(join(storeDir, 'features', 'opfdata', 'bus', 'part-000000.parquet'), 'utf8')).toBe(
      'other layout',
    );
  });

  test('a failed stage uploads nothing', async () => {
    await expect(
      withStoreDir(store, { read: ['jobs/pf_dc/'] }, (dir) => {
        writeFileAtomic(join(dir, 'results', 'pf_dc', 'bus', 'part-00001.parquet'), 'rows');
        rmSync(join(dir, 'jobs', 'pf_dc', 'old.json'));
        throw new Error('solver crashed');
      }),
    ).rejects.toThrow('solver crashed');
    expect(existsSync(join(storeDir, 'results'))).toBe(false);
    expect(existsSync(join(storeDir, 'jobs', 'pf_dc', 'old.json'))).toBe(true);
  });

  test('inputs are fetched once per study; changed objects are fetched again', async () => {
    const downloads: string[] = [];
    const download = store.download.bind(store);
    store.download = async (key, dest) => {
      downloads.push(key);
      return download(key, dest);
    };
    const uploads: string[] = [];
    store.upload = async (key) => {
      uploads.push(key);
    };
    for (let i = 0; i < 3; i++)
      await withStoreDir(store, { readOnce: ['grid/'], read: ['jobs/pf_dc/'] }, () => undefined);
    expect(downloads).toEqual(['grid/bus.arrow', 'jobs/pf_dc/old.json']);
    writeFileAtomic(join(storeDir, 'jobs', 'pf_dc', 'old.json'), 'changed');
    await withStoreDir(store, { readOnce: ['grid/'], read: ['jobs/pf_dc/'] }, (dir) => {
      expect(readFileSync(join(dir, 'jobs', 'pf_dc', 'old.json'), 'utf8')).toBe('changed');
    });
    expect(downloads).toEqual(['grid/bus.arrow', 'jobs/pf_dc/old.json', 'jobs/pf_dc/old.json']);
    expect(uploads).toEqual([]); // what was only read goes nowhere
  });

  test('a cancelled stage uploads nothing; cancelled during its upload, it stops before the job records', async () => {
    const ac = new AbortController();
    await expect(
      withStoreDir(
        store,
        {},
        (dir) => {
          writeFileAtomic(join(dir, 'results', 'pf_dc', 'bus', 'part-00002.parquet'), 'rows');
          ac.abort(new Error('cancelled'));
        },
        ac.signal,
      ),
    ).rejects.toThrow('cancelled');
    expect(existsSync(join(storeDir, 'results'))).toBe(false);
    const ac2 = new AbortController();
    const upload = store.upload.bind(store);
    store.upload = async (key, src) => {
      await upload(key, src);
      ac2.abort(new Error('cancelled mid-upload'));
    };
    await expect(
      withStoreDir(
        store,
        {},
        (dir) => {
          writeFileAtomic(join(dir, 'results', 'pf_dc', 'bus', 'part-00003.parquet'), 'rows');
          writeFileAtomic(join(dir, 'jobs', 'pf_dc', 'part-00003.json'), '[]');
        },
        ac2.signal,
      ),
    ).rejects.toThrow('cancelled mid-upload');
    expect(existsSync(join(storeDir, 'results', 'pf_dc', 'bus', 'part-00003.parquet'))).toBe(true);
    expect(existsSync(join(storeDir, 'jobs', 'pf_dc', 'part-00003.json'))).toBe(false); // an orphan part: the manifest stage removes it
  });
});
