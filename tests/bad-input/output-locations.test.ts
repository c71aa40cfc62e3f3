/**
 * Mistakes that are not files of the corpus (issue 9, cases 1-4), through the real CLI: an --out
 * that is a file, lies below a file or on /proc; a profile without the column of one load; solve
 * of a network that is split or does not converge. Each ends at once with its documented exit
 * code and one line naming the path and the cause, and writes nothing. TEMPORAL_ADDRESS points
 * at a closed port: a command that contacted Temporal before checking would fail with exit 3.
 * (Before the fix, start-batch retried ENOTDIR for ever and solve --out /proc/... never returned.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildProgram } from '../../client';
import { CliResult, runCli } from '../../src/cli/run';

const REPO = resolve(__dirname, '..', '..');
const SPEC = join(REPO, 'examples/case14-n1.yaml');
const CASE = join(REPO, 'examples/cases/case14.m');
const PROFILES = join(REPO, 'tests/fixtures/bad-input/profiles');
const tmp = mkdtempSync(join(tmpdir(), 'gridbatch-out-loc-'));
const afile = join(tmp, 'afile');
const savedAddress = process.env.TEMPORAL_ADDRESS;
beforeAll(() => {
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
  writeFileSync(afile, '');
});
afterAll(() => {
  if (savedAddress === undefined) delete process.env.TEMPORAL_ADDRESS;
  else process.env.TEMPORAL_ADDRESS = savedAddress;
  rmSync(tmp, { recursive: true, force: true });
});

const cli = (argv: string[]) => runCli(argv, buildProgram, { capture: true });

function expectOneLine(r: CliResult, code: number, fragments: string[]): void {
  const ctx = JSON.stringify(r);
  expect([r.code, ctx]).toEqual([code, ctx]);
  const [line, ...rest] = r.stderr.split('\n');
  expect([rest, ctx]).toEqual([[''], ctx]);
  expect(line.startsWith('error: ')).toBe(true);
  for (const f of fragments) expect([f, line.includes(f)]).toEqual([f, true]);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at /m);
}

const commands = (out: string): string[][] => [
  ['start-batch', '--spec', SPEC, '--task', 'pf_ac', '--out', out],
  ['solve', CASE, '--task', 'pf_dc', '--out', out],
  ['validate', '--spec', SPEC, '--out', out],
];

describe('an output folder that cannot be used: exit 2, one line naming the path and the cause (cases 1, 2, 4)', () => {
  test('--out is a file', async () => {
    for (const argv of commands(afile))
      expectOneLine(await cli(argv), 2, [`${afile}: is a file, not a folder (EEXIST)`]);
    expect(readFileSync(afile, 'utf8')).toBe(''); // untouched
  });

  test('--out lies below a file', async () => {
    const out = join(afile, 'sub');
    for (const argv of commands(out))
      expectOneLine(await cli(argv), 2, [`${out}: a part of the path is a file, not a folder (ENOTDIR)`]);
  });

  test('--out cannot be created (/proc)', async () => {
    const out = '/proc/gridbatch-out';
    for (const argv of commands(out)) expectOneLine(await cli(argv), 2, [`${out}: is on a kernel pseudo file system`]);
    expect(existsSync(out)).toBe(false);
  });

  test('the real process (npx tsx client.ts) exits 2 the same way and leaves nothing running', async () => {
    const r = await new Promise<CliResult>((done, fail) => {
      const p = spawn('npx', ['tsx', 'client.ts', 'start-batch', '--spec', SPEC, '--task', 'pf_ac', '--out', afile], {
        cwd: REPO,
        detached: true,
        env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', npm_config_loglevel: 'error', GRIDBATCH_DEBUG: '' },
      });
      let stdout = '',
        stderr = '';
      p.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      p.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      p.on('error', fail);
      p.on('close', (code) => {
        void (async () => {
          // tsx's esbuild service leaves the group just after npx: allow 5 s (zombies only wait to be reaped)
          let left = '';
          for (let i = 0; i < 50; i++) {
            left = spawnSync('ps', ['-o', 'pid=,stat=,args=', '-g', String(p.pid)], { encoding: 'utf8' })
              .stdout.split('\n')
              .filter((l) => l.trim() && !/^\s*\d+\s+Z/.test(l))
              .join('\n');
            if (!left) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          if (left)
            try {
              process.kill(-(p.pid as number), 'SIGKILL');
            } catch {
              /* gone */
            }
          done({ code: code ?? -1, stdout, stderr: left ? `${stderr}(process group still alive: ${left})\n` : stderr });
        })();
      });
    });
    expectOneLine(r, 2, [`${afile}: is a file, not a folder (EEXIST)`]);
  }, 60_000);
});

describe('a profile without the column of one load (case 3)', () => {
  test('validate warns, naming the load; with strict: true it is an error (corpus: uncovered-load-strict.yaml)', async () => {
    const spec = join(tmp, 'uncovered.yaml');
    writeFileSync(
      spec,
      readFileSync(join(PROFILES, 'uncovered-load-strict.yaml'), 'utf8')
        .replace('grid_file: ../../specs/case14.m', `grid_file: ${join(REPO, 'tests/fixtures/specs/case14.m')}`)
        .replace('file: uncovered-load.csv', `file: ${join(PROFILES, 'uncovered-load.csv')}`)
        .replace(', strict: true', ''),
    );
    const r = await cli(['validate', '--spec', spec]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(
      /^warning: profile .*uncovered-load\.csv drives load p but has no column for load at bus 14: it keeps the base value/m,
    );

    writeFileSync(
      spec.replace('.yaml', '-ok.yaml'),
      readFileSync(spec, 'utf8').replace('kind: multiplier', 'kind: multiplier, at_base: ["load:14"]'),
    );
    const ok = await cli(['validate', '--spec', spec.replace('.yaml', '-ok.yaml')]);
    expect([ok.code, ok.stdout.includes('warning')]).toEqual([0, false]);
  });
});

describe('solve exit codes (case 4)', () => {
  const text = readFileSync(CASE, 'utf8');
  test('a split network with islands: fail and an AC power flow that does not converge exit 1 (the solve failed)', async () => {
    const split = join(tmp, 'case14-split.m');
    // branch 14 (7-8) out of service: bus 8 is cut off
    writeFileSync(split, text.replace(/^(\s*7\s+8\s+0\s+0\.17615\s+0\s+0\s+0\s+0\s+0\s+0\s+)1(\s)/m, '$10$2'));
    expect(readFileSync(split, 'utf8')).not.toBe(text);
    const r = await cli(['solve', split, '--task', 'pf_dc', '--islands', 'fail']);
    expect([r.code, r.stdout]).toEqual([1, expect.stringContaining('FAILED')]);
    expect(r.stdout).toContain('bus 8');
    // by default the island is de-energized and the solve succeeds (issue 13's island rule)
    const d = await cli(['solve', split, '--task', 'pf_dc']);
    expect([d.code, d.stdout]).toEqual([0, expect.stringContaining('de-energized: 1 bus(es) (8)')]);

    const heavy = join(tmp, 'case14-heavy.m');
    writeFileSync(
      heavy,
      text.replace(
        /mpc\.bus = \[([\s\S]*?)\];/,
        (_m, rows: string) =>
          `mpc.bus = [${rows.replace(/^(\s*\d+\s+\d+\s+)([\d.]+)(\s+)([-\d.]+)/gm, (_r, a: string, pd: string, s: string, qd: string) => `${a}${Number(pd) * 8}${s}${Number(qd) * 8}`)}];`,
      ),
    );
    const h = await cli(['solve', heavy, '--task', 'pf_ac', '--json']);
    expect(h.code).toBe(1);
    expect(JSON.parse(h.stdout)).toMatchObject({
      converged: false,
      error: expect.stringContaining('did not converge'),
    });
  });
});
