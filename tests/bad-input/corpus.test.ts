/**
 * The bad-input corpus (tests/fixtures/bad-input, listed in expected.json and README.md) through
 * the real CLI: `solve <case> --task pf_dc --out <tmp>` for case files, `validate --spec` and
 * `start-batch --spec --out <tmp>` for specs and profiles. Every file must give exit code 2, one
 * line on stderr starting with `error: ` that names the file and the line or key, no stack trace,
 * nothing on stdout and no --out folder.
 *
 * Most runs are in-process (runCli, the code path of client.ts's main, ~ms each); a handful spawn
 * `npx tsx client.ts` exactly as a user would. TEMPORAL_ADDRESS points at a closed port, so a
 * start-batch that contacted Temporal before validating would fail with exit 3, not 2.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  ftruncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildProgram } from '../../client';
import { CliResult, runCli } from '../../src/cli/run';
import { MAX_CASE_BYTES } from '../../src/grid/matpower-case';
import { MAX_PROFILE_BYTES } from '../../src/scenarios/profiles';
import { MAX_SPEC_BYTES } from '../../src/scenarios/source';

const REPO = resolve(__dirname, '..', '..');
const CORPUS = join(REPO, 'tests/fixtures/bad-input');
type Kind = 'cases' | 'specs' | 'profiles';
interface Entry {
  file: string;
  where: string;
  message: string[];
  what: string;
}
interface Table extends Record<Kind, Entry[]> {
  companions: { file: string; used_by: string }[];
}
const table = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8')) as Table;
const KINDS: Kind[] = ['cases', 'specs', 'profiles'];

const tmp = mkdtempSync(join(tmpdir(), 'gridbatch-bad-input-'));
let outN = 0;
const freshOut = () => join(tmp, `out-${outN++}`);
const savedAddress = process.env.TEMPORAL_ADDRESS;
beforeAll(() => {
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
});
afterAll(() => {
  if (savedAddress === undefined) delete process.env.TEMPORAL_ADDRESS;
  else process.env.TEMPORAL_ADDRESS = savedAddress;
  rmSync(tmp, { recursive: true, force: true });
});

const cli = (argv: string[]) => runCli(argv, buildProgram, { capture: true });

/** Exit 2, exactly one `error: ` line naming `where` (a path ending), no stack, no output, no --out. */
function expectBadInput(r: CliResult, where: string, fragments: string[], out?: string): void {
  const ctx = JSON.stringify(r);
  expect([r.code, ctx]).toEqual([2, ctx]);
  const [line, ...rest] = r.stderr.split('\n');
  expect([rest, ctx]).toEqual([[''], ctx]);
  expect(line.startsWith('error: ')).toBe(true);
  expect(line).toContain(where);
  for (const f of fragments) expect(line).toContain(f);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
  if (out) expect(existsSync(out)).toBe(false);
}

const commands = (kind: Kind, path: string, out: string): string[][] =>
  kind === 'cases'
    ? [['solve', path, '--task', 'pf_dc', '--out', out]]
    : [
        ['validate', '--spec', path],
        ['start-batch', '--spec', path, '--out', out],
      ];

describe('the corpus is complete and consistent', () => {
  test('at least 40 files; every file is listed once (as an entry or a companion) and in README.md', () => {
    const readme = readFileSync(join(CORPUS, 'README.md'), 'utf8');
    const listed = new Set<string>();
    for (const k of KINDS) for (const e of table[k]) listed.add(`${k}/${e.file}`);
    for (const c of table.companions) listed.add(c.file);
    const onDisk = KINDS.flatMap((k) => readdirSync(join(CORPUS, k)).map((f) => `${k}/${f}`)).sort();
    expect(onDisk).toEqual([...listed].sort());
    expect(KINDS.reduce((n, k) => n + table[k].length, 0)).toBeGreaterThanOrEqual(40);
    for (const k of KINDS)
      for (const e of table[k]) expect([e.file, readme.includes(`\`${e.file}\``)]).toEqual([e.file, true]);
  });

  test('every entry names a file and a line (:N) or a key (at ...)', () => {
    for (const k of KINDS) {
      for (const e of table[k])
        expect([
          e.file,
          /^[\w.-]+\.(m|ya?ml|json|csv)(:\d*)?( at \S+)?$/.test(e.where) && /:\d| at /.test(e.where),
        ]).toEqual([e.file, true]);
    }
  });
});

describe.each(KINDS)('bad %s: exit 2, one clear line, nothing written (in-process)', (kind) => {
  test.each(table[kind].map((e) => [e.file, e] as const))('%s', async (_name, e) => {
    const out = freshOut();
    for (const argv of commands(kind, join(CORPUS, kind, e.file), out)) {
      expectBadInput(await cli(argv), `/${e.where}`, e.message, out);
    }
  });
});

describe('inputs that cannot live in the corpus', () => {
  const sparse = (name: string, bytes: number) => {
    const p = join(tmp, name);
    const fd = openSync(p, 'w');
    ftruncateSync(fd, bytes); // a sparse file: no disk space used
    closeSync(fd);
    return p;
  };

  test('a case over the size limit, a folder, a missing file', async () => {
    const out = freshOut();
    expectBadInput(
      await cli(['solve', sparse('huge.m', MAX_CASE_BYTES + 1), '--out', out]),
      '/huge.m',
      ['over the limit of 268435456 (256 MiB)'],
      out,
    );
    expectBadInput(await cli(['solve', tmp, '--out', out]), tmp, ['case path is not a file (it is a folder)'], out);
    expectBadInput(await cli(['solve', join(tmp, 'nope.m'), '--out', out]), '/nope.m', ['case file not found'], out);
  });

  test('a spec and a profile over their size limits', async () => {
    const out = freshOut();
    const spec = sparse('huge.yaml', MAX_SPEC_BYTES + 1);
    for (const argv of commands('specs', spec, out))
      expectBadInput(await cli(argv), '/huge.yaml', ['over the limit of 10485760 (10 MiB)'], out);
    sparse('huge.csv', MAX_PROFILE_BYTES + 1);
    const withProfile = join(tmp, 'with-profile.yaml');
    writeFileSync(
      withProfile,
      `grid_file: ${join(REPO, 'tests/fixtures/specs/case14.m')}\nprofiles: {file: huge.csv}\ndefaults: {time_slices: ["2025-01-01T00:00:00Z"]}\nscenarios: [{scenario_id: a}]\n`,
    );
    for (const argv of commands('profiles', withProfile, out))
      expectBadInput(await cli(argv), '/huge.csv', ['over the limit of 134217728 (128 MiB)'], out);
  });

  test('--scenarios naming an id the spec does not have', async () => {
    const out = freshOut();
    const spec = join(REPO, 'examples/case14-n1.yaml');
    expectBadInput(
      await cli(['start-batch', '--spec', spec, '--scenarios', 'base,nope', '--out', out]),
      '/case14-n1.yaml',
      ["the spec has no scenario 'nope'"],
      out,
    );
  });

  test('controls: a valid case is solved and written, a valid spec validates', async () => {
    const out = freshOut();
    const r = await cli(['solve', join(REPO, 'examples/cases/case14.m'), '--out', out]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(existsSync(out)).toBe(true);
    expect((await cli(['validate', '--spec', join(REPO, 'examples/case14-n1.yaml')])).code).toBe(0);
  });
});

describe('the real process: npx tsx client.ts', () => {
  function spawnCli(args: string[]): Promise<CliResult> {
    return new Promise((done, fail) => {
      const p = spawn('npx', ['tsx', 'client.ts', ...args], {
        cwd: REPO,
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
      p.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    });
  }

  const pick = (kind: Kind, file: string) => {
    const e = table[kind].find((x) => x.file === file);
    if (!e) throw new Error(`${kind}/${file} is not in expected.json`);
    return { kind, e, path: join(CORPUS, kind, file) };
  };
  const runs = [
    { ...pick('cases', 'truncated-bus.m'), cmd: 'solve' },
    { ...pick('cases', 'latin1.m'), cmd: 'solve' },
    { ...pick('specs', 'alias-bomb.yaml'), cmd: 'validate' },
    { ...pick('specs', 'id-traversal.yaml'), cmd: 'validate' },
    { ...pick('specs', 'unknown-outage-branch.yaml'), cmd: 'start-batch' },
    { ...pick('profiles', 'missing-times.yaml'), cmd: 'start-batch' },
  ];

  test(`${runs.length} corpus files exit 2 with one line and write nothing`, async () => {
    const results = await Promise.all(
      runs.map(async (r) => {
        const out = freshOut();
        const args =
          r.cmd === 'solve'
            ? ['solve', r.path, '--task', 'pf_dc', '--out', out]
            : r.cmd === 'validate'
              ? ['validate', '--spec', r.path]
              : ['start-batch', '--spec', r.path, '--out', out];
        return { r, out, res: await spawnCli(args) };
      }),
    );
    for (const { r, out, res } of results) expectBadInput(res, `/${r.e.where}`, r.e.message, out);
  }, 60_000);
});
