/**
 * The S3 implementation of the storage interface against a real S3-compatible server (SeaweedFS):
 * put / get / head / list / download / upload (a single PUT and a multipart upload), remove,
 * the errors a user must fix (no such bucket, bad credentials) as one-line OutputErrors, and a
 * spec read from the bucket (with the grid it names) materialized into a local folder.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { S3Store } from '../../src/io/storage/s3-store';
import { isOutputError } from '../../src/io/output-errors';
import { skipGroup } from '../helpers/requirements';
import { startS3Server, S3TestServer } from '../helpers/s3-server';
import { ARTIFACTS } from '../helpers/test-server';
import { unfinishedUploads } from '../helpers/s3-study';
import { onMaterialize } from '../../src/activities/remote-study';
import { materializeInto } from '../../src/activities/materialize';
import { readScenarioManifest } from '../../src/io/scenario-manifest';
import type { StudyInput } from '../../src/contracts/workflow-types';
import { buildRemoteStudyInput } from '../../src/cli/remote-study-input';
import { fetchSpecInputs } from '../../src/io/storage/spec-inputs';

const skip = skipGroup('seaweedfs', 'tests/io/s3-store.test.ts');

(skip ? describe.skip : describe)('S3Store on SeaweedFS', () => {
  let s3: S3TestServer;
  const dir = join(ARTIFACTS, `s3-store-${randomBytes(3).toString('hex')}`);
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    s3 = await startS3Server();
    await s3.createBucket('store-test');
    for (const [k, v] of Object.entries(s3.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  }, 180_000);

  afterAll(async () => {
    await s3?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('objects are written whole, listed, read back, replaced and removed', async () => {
    const store = new S3Store('s3://store-test/study/one');
    await store.put('a/x.json', '{"x":1}');
    expect((await store.get('a/x.json'))?.toString()).toBe('{"x":1}');
    expect(await store.get('a/missing.json')).toBeUndefined();
    expect(await store.head('a/missing.json')).toBeUndefined();
    const small = join(dir, 'small.bin');
    writeFileSync(small, randomBytes(1000));
    await store.upload('a/small.bin', small);
    // above the 16 MiB part size: a multipart upload, completed last
    const big = join(dir, 'big.bin');
    writeFileSync(big, randomBytes(40 * 1024 * 1024 + 7));
    await store.upload('b/big.bin', big);
    expect((await store.list('')).map((o) => [o.key, o.size])).toEqual([
      ['a/small.bin', 1000],
      ['a/x.json', 7],
      ['b/big.bin', 40 * 1024 * 1024 + 7],
    ]);
    const back = join(dir, 'back', 'big.bin');
    await store.download('b/big.bin', back);
    expect(readFileSync(back).equals(readFileSync(big))).toBe(true);
    const before = await store.head('a/x.json');
    await store.put('a/x.json', '{"x":2}');
    expect((await store.head('a/x.json'))?.etag).not.toBe(before?.etag);
    expect((await store.list('a/')).length).toBe(2);
    await store.remove(['a/x.json', 'a/small.bin', 'a/never-there']);
    expect((await store.list('')).map((o) => o.key)).toEqual(['b/big.bin']);
    expect(await unfinishedUploads(s3.endpoint, s3.env, 'store-test', 'study/')).toEqual([]);
    expect(await store.sweepUnfinished('')).toBe(0);
  });

  test('a missing bucket or rejected credentials are OutputErrors naming the location', async () => {
    const e1 = await new S3Store('s3://no-such-bucket-here/x').list('').catch((e: unknown) => e);
    expect(isOutputError(e1)).toBe(true);
    expect((e1 as Error).message).toMatch(/^s3:\/\/no-such-bucket-here\/x: no such bucket/);
    process.env.AWS_SECRET_ACCESS_KEY = 'wrong';
    try {
      const e2 = await new S3Store('s3://store-test/x').list('').catch((e: unknown) => e);
      expect(isOutputError(e2)).toBe(true);
      expect((e2 as Error).message).toMatch(/^s3:\/\/store-test\/x: /);
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = s3.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  test('an s3:// spec and the grid it names are fetched; the records name the bucket, not the cache', async () => {
    const inputs = new S3Store('s3://store-test/inputs');
    await inputs.upload('case14-n1.yaml', join(__dirname, '..', '..', 'examples', 'case14-n1.yaml'));
    await inputs.upload('cases/case14.m', join(__dirname, '..', '..', 'examples', 'cases', 'case14.m'));
    const out = join(dir, 'materialized');
    const input: StudyInput = {
      batchId: 'b-s3-spec',
      specPath: 's3://store-test/inputs/case14-n1.yaml',
      outDir: out,
      task: 'pf_dc',
    };
    process.env.GRIDBATCH_STUDY_CACHE = join(dir, 'cache');
    try {
      const r = await onMaterialize(input, async (i) => materializeInto(i.outDir, i));
      expect(r).toMatchObject({ scenarios: 23, jobs: 46 });
    } finally {
      delete process.env.GRIDBATCH_STUDY_CACHE;
    }
    const m = readScenarioManifest(out);
    expect({ spec: m.spec_file, grid: m.grid_file }).toEqual({
      spec: 's3://store-test/inputs/case14-n1.yaml',
      grid: 's3://store-test/inputs/cases/case14.m',
    });
    expect(readFileSync(join(out, 'run_record.json'), 'utf8')).not.toContain(join(dir, 'cache'));
    const missing = await onMaterialize({ ...input, specPath: 's3://store-test/inputs/nope.yaml' }, async (i) =>
      materializeInto(i.outDir, i),
    ).catch((e: unknown) => e);
    expect((missing as Error).message).toContain('s3://store-test/inputs/nope.yaml');
  });

  test('start-batch with a local spec and an s3:// output uploads the inputs into <out>/source/', async () => {
    const spec = join(__dirname, '..', '..', 'examples', 'case14-n1.yaml');
    const { input, scenarios } = await buildRemoteStudyInput({
      spec,
      task: 'pf_dc',
      out: 's3://store-test/studies/uploaded/',
      wait: false,
    });
    expect(scenarios).toBe(23);
    expect(input.outDir).toBe('s3://store-test/studies/uploaded');
    expect(input.specPath).toBe('s3://store-test/studies/uploaded/source/case14-n1.yaml');
    expect((await new S3Store(input.outDir).list('')).map((o) => o.key)).toEqual([
      'source/case14-n1.yaml',
      'source/cases/case14.m',
    ]);
    // what a worker does with it: the spec and the grid it names come back
    process.env.GRIDBATCH_STUDY_CACHE = join(dir, 'cache-2');
    try {
      const got = await fetchSpecInputs(input.specPath);
      expect(readFileSync(got.specPath, 'utf8')).toBe(readFileSync(spec, 'utf8'));
    } finally {
      delete process.env.GRIDBATCH_STUDY_CACHE;
    }
    // another batch's prefix is refused before anything starts
    await new S3Store(input.outDir).put('run_record.json', JSON.stringify({ batch_id: 'someone-else' }));
    await expect(buildRemoteStudyInput({ spec, task: 'pf_dc', out: input.outDir, wait: false })).rejects.toThrow(
      'holds the results of batch someone-else',
    );
  });
});
