/**
 * Output-location checks and folder creation (src/io/output-location.ts, src/io/atomic.ts):
 * errors a user can fix become one OutputError naming the path and the cause, never a hang
 * (Node's recursive mkdir loops forever under /proc) and never a leftover temporary file.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic';
import { isOutputError, OutputError, userFixable } from '../../src/io/output-errors';
import { checkOutputLocation, estimateOutputBytes, makeDirs } from '../../src/io/output-location';

const tmp = mkdtempSync(join(tmpdir(), 'gridbatch-outloc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const thrown = (fn: () => unknown): OutputError => {
  try {
    fn();
  } catch (e) {
    if (isOutputError(e)) return e;
    throw e;
  }
  throw new Error('no error thrown');
};

test('makeDirs creates missing levels, and names the folder it cannot create (no hang under /proc)', () => {
  const deep = join(tmp, 'a', 'b', 'c');
  makeDirs(deep);
  expect(existsSync(deep)).toBe(true);
  makeDirs(deep); // exists: nothing to do
  const e = thrown(() => makeDirs('/proc/gridbatch-x/y'));
  expect(e.message).toBe(
    '/proc/gridbatch-x: cannot be created here (the parent folder does not accept new folders) (ENOENT)',
  );
  writeFileSync(join(tmp, 'f'), '');
  expect(thrown(() => makeDirs(join(tmp, 'f', 'sub'))).message).toBe(
    `${join(tmp, 'f', 'sub')}: a part of the path is a file, not a folder (ENOTDIR)`,
  );
});

test('checkOutputLocation: a file, below a file, /proc are errors; room below the estimate is a warning', () => {
  const f = join(tmp, 'f');
  expect(thrown(() => checkOutputLocation(f)).message).toBe(`${f}: is a file, not a folder (EEXIST)`);
  expect(thrown(() => checkOutputLocation(join(f, 'x'))).code).toBe('ENOTDIR');
  expect(thrown(() => checkOutputLocation('/proc/gridbatch-out')).message).toMatch(
    /^\/proc\/gridbatch-out: is on a kernel pseudo file system/,
  );
  const ok = checkOutputLocation(join(tmp, 'new', 'out'), 1);
  expect([ok.warnings, existsSync(join(tmp, 'new'))]).toEqual([[], false]); // nothing created by a check
  const big = checkOutputLocation(tmp, Number.MAX_SAFE_INTEGER);
  expect(big.warnings).toEqual([expect.stringMatching(/free, below the study's estimated output of .* GiB/)]);
});

test('errno errors a retry cannot fix are OutputErrors; others stay as they are', () => {
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  expect(userFixable(enospc, '/data/out/x.parquet')?.message).toBe(
    '/data/out/x.parquet: no space left on device (ENOSPC)',
  );
  expect(userFixable(Object.assign(new Error('x'), { code: 'ECONNRESET' }), '/p')).toBeUndefined();
});

test('an atomic write that fails leaves no temporary file and names the path', () => {
  const dir = join(tmp, 'w');
  makeDirs(dir);
  writeFileSync(join(dir, 'blocker'), '');
  const e = thrown(() => writeFileAtomic(join(dir, 'blocker', 'x.json'), '{}'));
  expect(e.message).toContain(join(dir, 'blocker'));
  expect(readdirSync(dir)).toEqual(['blocker']);
});

test('the output estimate grows with jobs and grid size', () => {
  const small = estimateOutputBytes({ jobs: 46, scenarios: 23, buses: 14, branches: 20, gens: 5 });
  expect(small).toBeGreaterThan(500 * 1024); // case14-n1 wrote ~0.9 MiB of results and records on 4 KiB blocks (pf_dc, no features/report)
  expect(estimateOutputBytes({ jobs: 4488, scenarios: 187, buses: 118, branches: 186, gens: 54 })).toBeGreaterThan(
    small * 50,
  );
});
