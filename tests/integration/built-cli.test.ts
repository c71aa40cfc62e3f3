/**
 * The prebuilt JavaScript (`npm run build`, scripts/build-dist.cjs) run by `gridbatch`
 * (bin/gridbatch.cjs) with plain node: a one-job study end to end on the test dev server, with
 * the TypeScript LU and with KLU where installed; and a stale dist/ is never run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeTestConfig } from '../helpers/test-server';
import { luBackends } from '../helpers/lu-backends';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'gridbatch.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const distState = require('../../bin/dist-state.cjs') as {
  sourceHash(root?: string): string;
  statSignature(hash: string, root?: string): string;
  distState(root?: string, dir?: string): { fresh: boolean; reason?: string };
};

function gridbatch(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, GRIDBATCH_DEBUG: '', ...env },
  });
}

describe('gridbatch from dist/', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gb-built-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  beforeAll(() => {
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-dist.cjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(b.stderr).toBe('');
    expect(b.status).toBe(0);
  }, 180_000);

  const spec = join(tmp, 'tiny.yaml');
  beforeAll(() => {
    writeFileSync(
      spec,
      [
        'version: 1',
        `grid_file: ${join(ROOT, 'tests', 'fixtures', 'cases', 'case9.m')}`,
        'defaults:',
        '  time_slices: ["2024-01-01T08:00:00Z"]',
        'scenarios:',
        '  - scenario_id: base',
        '',
      ].join('\n'),
    );
  });

  test.each(luBackends('built CLI'))(
    'start-batch runs a one-job pf_ac study end to end with plain node (LU %s)',
    (lu) => {
      const out = join(tmp, `out-${lu}`);
      const r = gridbatch(
        ['start-batch', '--spec', spec, '--task', 'pf_ac', '--out', out, '--skip-featurize', '--skip-report', '--json'],
        {
          GRIDBATCH_DEV_CONFIG: writeTestConfig(),
          GRIDBATCH_TASK_QUEUE: `test-built-${randomBytes(4).toString('hex')}`,
          GRIDBATCH_DIST: 'require', // a stale dist/ exits 3 instead of running the sources
          GRIDBATCH_LU: lu,
          GRIDBATCH_TIMINGS: '1',
        },
      );
      expect(r.stderr).not.toMatch(/tsx|older than the sources/);
      expect(r.status).toBe(0);
      const res = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n{\n') + 1)) as { jobs: number; ok: number };
      expect(res).toMatchObject({ jobs: 1, ok: 1 });
      expect(existsSync(join(out, 'batch_manifest.json'))).toBe(true);
      expect(existsSync(join(out, 'batch_manifest.parquet'))).toBe(true);
      // the stage marks of GRIDBATCH_TIMINGS (bench:batch reads them), in order; the solve thread's
      // (thread-*) arrive in between, in their own order (a one-job study: no warm-up)
      const all = [...r.stderr.matchAll(/^gridbatch-timing (\S+) /gm)].map((m) => m[1]);
      expect(all.filter((m) => m.startsWith('thread-'))).toEqual([
        'thread-start',
        'thread-loaded',
        'thread-materializeInto-start',
        'thread-materializeInto-end',
        'thread-solve1-start',
        'thread-solve1-end',
        'thread-writeBatchManifestOf-start',
        'thread-writeBatchManifestOf-end',
      ]);
      const marks = all.filter((m) => !m.startsWith('thread-'));
      expect(marks).toEqual([
        'loaded',
        'validated',
        'connected',
        'worker-created',
        'started',
        'result',
        'worker-stopped',
        'finished',
        'closed',
      ]);
    },
    180_000,
  );

  test('a stale dist/ is refused with one line (GRIDBATCH_DIST=require) or replaced by the sources through tsx', () => {
    const stale = join(tmp, 'stale-dist');
    mkdirSync(stale, { recursive: true });
    const info = JSON.parse(readFileSync(join(ROOT, 'dist', 'build-info.json'), 'utf8')) as { sourceHash: string };
    writeFileSync(join(stale, 'build-info.json'), JSON.stringify({ ...info, sourceHash: '0'.repeat(24) }));
    const refused = gridbatch(['--version'], { GRIDBATCH_DIST_DIR: stale, GRIDBATCH_DIST: 'require' });
    expect(refused.status).toBe(3);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^error: .*stale-dist is older than the sources .*run `npm run build`/);

    const fallback = gridbatch(['--version'], { GRIDBATCH_DIST_DIR: stale });
    expect(fallback.status).toBe(0);
    expect(fallback.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(fallback.stderr).toMatch(/older than the sources.*running the sources through tsx/);

    const missing = gridbatch(['--version'], { GRIDBATCH_DIST_DIR: join(tmp, 'none'), GRIDBATCH_DIST: 'require' });
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/build-info.json is missing: run `npm run build`/);
  }, 120_000);

  test('the source hash changes with any source file, and only then', () => {
    const copy = join(tmp, 'pkg');
    for (const f of ['client.ts', 'worker.ts', 'src']) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    const before = distState.sourceHash(copy);
    expect(distState.sourceHash(copy)).toBe(before);
    expect(before).toBe(distState.sourceHash(ROOT));
    writeFileSync(join(copy, 'src', 'solvers', 'pf-dc.ts'), '// changed\n', { flag: 'a' });
    expect(distState.sourceHash(copy)).not.toBe(before);
  });

  test('a start skips the hash while the files are as built; a touched file falls back to it, an edited one is stale', () => {
    const copy = join(tmp, 'pkg-stat');
    for (const f of ['client.ts', 'worker.ts', 'src']) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    const dist = join(copy, 'dist');
    mkdirSync(dist, { recursive: true });
    const hash = distState.sourceHash(copy);
    const info = (sig: string) =>
      writeFileSync(join(dist, 'build-info.json'), JSON.stringify({ sourceHash: hash, statSignature: sig }));
    info(distState.statSignature(hash, copy));
    expect(distState.distState(copy, dist)).toEqual({ fresh: true });
    // the signature is bound to the hash: a build-info with another hash never passes on it
    expect(distState.statSignature('0'.repeat(24), copy)).not.toBe(distState.statSignature(hash, copy));
    // a wrong signature (files touched, e.g. a checkout): the hash decides, and they are unchanged
    info('f'.repeat(24));
    expect(distState.distState(copy, dist)).toEqual({ fresh: true });
    info(distState.statSignature(hash, copy));
    const file = join(copy, 'src', 'version.ts');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text);
    expect(distState.statSignature(hash, copy)).not.toBe(
      JSON.parse(readFileSync(join(dist, 'build-info.json'), 'utf8')).statSignature,
    );
    expect(distState.distState(copy, dist)).toEqual({ fresh: true });
    writeFileSync(file, text + '// changed\n');
    expect(distState.distState(copy, dist)).toMatchObject({
      fresh: false,
      reason: expect.stringMatching(/older than the sources/),
    });
  });
});
