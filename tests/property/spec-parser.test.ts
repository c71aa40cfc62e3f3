/**
 * Property tests of the spec parser: whatever a spec file (and the profile it names) holds,
 * loadSpec returns a study or throws the project's InputError (one line, naming a line that
 * exists), never anything else. Specs are written to a temporary study folder that holds the
 * grids and profiles they refer to, so the whole path runs: YAML/JSON, zod, extends, grid,
 * generators, ids, outages, time slices, profiles.
 */
import fc from 'fast-check';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadSpec } from '../../src/scenarios';
import { loadProfiles } from '../../src/scenarios/profiles';
import { parseSpecText } from '../../src/scenarios/source';
import { validateSpecFile } from '../../src/scenarios/validate-file';
import { readCaseFile } from '../../src/grid/matpower-case';
import { mutated, onlyInputErrors, params } from './helpers';
import { specObject } from './spec-arbitrary';

const ROOT = join(__dirname, '..', '..');
const GALLERY = join(ROOT, 'examples/specs-gallery');
const dir = mkdtempSync(join(tmpdir(), 'gridbatch-prop-'));
const specs = join(dir, 'specs');
const cases = join(dir, 'cases');

/** Seeds: every gallery spec, and GAT-format fixtures pointed at ../cases; one as JSON too. */
const YAML_SEEDS: string[] = [];
let JSON_SEED = '';

beforeAll(() => {
  mkdirSync(specs);
  mkdirSync(cases);
  for (const c of ['case14.m', 'case30.m', 'case118.m', 'pglib_opf_case118_ieee.m'])
    copyFileSync(join(ROOT, 'examples/cases', c), join(cases, c));
  copyFileSync(join(ROOT, 'tests/fixtures/specs/case4fuel.m'), join(cases, 'case4fuel.m'));
  for (const f of readdirSync(GALLERY)) {
    copyFileSync(join(GALLERY, f), join(specs, f));
    // 50 perturbation samples instead of 5,000: the same code paths, 100x faster per run
    if (f.endsWith('.yaml'))
      YAML_SEEDS.push(readFileSync(join(GALLERY, f), 'utf8').replace(/samples: \d+/, 'samples: 50'));
  }
  for (const f of ['gat-full.yaml', 'gat-nminus1.yaml']) {
    YAML_SEEDS.push(
      readFileSync(join(ROOT, 'tests/fixtures/specs', f), 'utf8').replace(
        /grid_file: .*/,
        'grid_file: ../cases/case14.m',
      ),
    );
  }
  JSON_SEED = JSON.stringify(parse(YAML_SEEDS[YAML_SEEDS.length - 2]), null, 2);
  writeFileSync(
    join(specs, 'p.csv'),
    'time,element,field,value\n2025-01-01T00:00:00Z,load:2,p,0.5\n2025-01-01T01:00:00Z,load:3,q,1.5\n',
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Specs accepted per test: the properties must reach expansion and resolution, not only parse errors. */
const accepted = new Map<string, number>();

function load(text: string, name = 'fuzz.yaml'): void {
  const file = join(specs, name);
  writeFileSync(file, text);
  if (onlyInputErrors(() => loadSpec(file), text, file)) {
    const t = expect.getState().currentTestName ?? '';
    accepted.set(t, (accepted.get(t) ?? 0) + 1);
  }
}

/** Pieces of YAML and of the spec vocabulary, and troublesome values. */
const PIECES = [
  'null',
  '~',
  '.nan',
  '.inf',
  '-.inf',
  '-1',
  '0',
  '1e400',
  '3',
  '999',
  '"a/b"',
  '"../x"',
  '..',
  '.',
  '/',
  '/tmp',
  '\\',
  '&a',
  '*a',
  '*b',
  '!!set',
  '!!binary',
  '!foo',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ':',
  ': ',
  '#',
  '\t',
  '\n  ',
  '\n',
  '"',
  "'",
  '|',
  '>',
  '---',
  '...',
  '? ',
  '<<: *a',
  '%YAML 1.1',
  '\u0000',
  '\u00e9',
  '\ufeff',
  'scenario_id: x',
  'scenario_id: base',
  'outages: [{type: branch, id: 999}]',
  'type: n_minus_1',
  'type: load_perturbation',
  'samples',
  'time_slices: ["x"]',
  'time_range',
  'step: 1s',
  'extends: fuzz.yaml',
  'extends: n1-hourly.yaml',
  'grid_file: ../cases',
  'profiles: {file: p.csv}',
  'profile-day.csv',
  'p.parquet',
  '2025-13-01T00:00:00Z',
  '{index|zfill:3}',
  '{nope}',
  '{',
  'id_template: "x"',
  'branch',
  'gen',
  'bus',
  'Branch 7-8',
  '1-2',
  'gen:3',
  'load_scale',
  'version: 2',
];

describe('spec parser: only InputError, whatever the input', () => {
  afterAll(() => {
    const count = (name: string) => [...accepted].filter(([k]) => k.includes(name)).reduce((n, [, v]) => n + v, 0);
    if (process.env.GRIDBATCH_FC_VERBOSE) process.stdout.write(`accepted: ${JSON.stringify([...accepted])}\n`);
    expect(count('mutated gallery')).toBeGreaterThan(40);
    expect(count('generated specs')).toBeGreaterThan(100);
  });
  test('arbitrary text read as YAML and as JSON (parse and schema only)', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.array(fc.constantFrom(...PIECES, ' ', 'a', '1'), { maxLength: 25 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, fc.boolean(), (t, json) => {
        const file = json ? '/specs/fuzz.json' : '/specs/fuzz.yaml';
        onlyInputErrors(() => validateSpecFile(parseSpecText(t, file)), t, file);
      }),
      params(2000),
    );
  });

  test('mutated gallery and GAT specs, loaded end to end against their grids', () => {
    fc.assert(
      fc.property(mutated(YAML_SEEDS, PIECES), (t) => load(t)),
      params(800),
    );
  });

  test('mutated JSON spec', () => {
    fc.assert(
      fc.property(mutated([JSON_SEED], [...PIECES, ',', '",', '"x": 1,', '[]', '{}']), (t) => load(t, 'fuzz.json')),
      params(300),
    );
  });

  test('generated specs: plausible specs with one corruption (junk or wrong value, removed key, unknown key) three times in four', () => {
    fc.assert(
      fc.property(specObject(), fc.boolean(), (spec, json) => {
        load(json ? JSON.stringify(spec, null, 1) : stringify(spec), json ? 'gen.json' : 'gen.yaml');
      }),
      params(600),
    );
  });

  test('mutated profile CSVs (long and wide) against case14', () => {
    const net = readCaseFile(join(cases, 'case14.m'));
    const wide = readFileSync(join(GALLERY, 'profile-day.csv'), 'utf8').split('\n').slice(0, 6).join('\n');
    const long = readFileSync(join(ROOT, 'tests/fixtures/specs/profiles/loads-long.csv'), 'utf8');
    const pieces = [
      '',
      ',',
      '"',
      '""',
      '"a\nb"',
      'NaN',
      'Infinity',
      '-1',
      '1e400',
      'abc',
      'load:99:p',
      'gen:0:p',
      'gen:1:pmax',
      'load:2:x',
      'bus:2:p',
      '2025-01-01',
      '2025-01-01T00:00:00Z',
      '2025-02-30T00:00:00Z',
      'time',
      'element',
      '\r\n',
      '\n',
      '\ufeff',
      '\u0000',
    ];
    fc.assert(
      fc.property(
        mutated([wide, long], pieces),
        fc.constantFrom('multiplier' as const, 'value' as const),
        (t, kind) => {
          const file = join(specs, 'fuzz.csv');
          writeFileSync(file, t);
          onlyInputErrors(() => loadProfiles(file, kind, net), t, file);
        },
      ),
      params(1000),
    );
  });
});
