/**
 * Property tests of the MATPOWER case parser: whatever the text, parseCase returns a Network or
 * throws the project's InputError (one line, naming a line that exists), never anything else.
 * A network it accepts satisfies what the solvers rely on, and DC power flow on it gives a
 * Solution (converged or failed), not an exception.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCase } from '../../src/grid/matpower-case';
import { BRANCH_COLS, BUS_COLS, GEN_COLS, Network, REF } from '../../src/grid/network';
import { solveNetwork } from '../../src/solvers/solve';
import { mutated, onlyInputErrors, params } from './helpers';

const ROOT = join(__dirname, '..', '..');
const SEEDS = [
  readFileSync(join(ROOT, 'examples/cases/case14.m'), 'utf8'),
  readFileSync(join(ROOT, 'tests/fixtures/specs/case4fuel.m'), 'utf8'),
];

/** Pieces of MATPOWER syntax and troublesome values. */
const PIECES = [
  'NaN',
  'nan',
  'Inf',
  '-Inf',
  'inf',
  '0',
  '-0',
  '-1',
  '1e999',
  '1e-320',
  '1.5',
  '3',
  '4',
  '5',
  '99999',
  '2.5e3',
  '[',
  ']',
  ';',
  '];',
  '{',
  '}',
  "'",
  "''",
  '...',
  '%',
  '=',
  ',',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\u0000',
  '\u00e9',
  '\ufeff',
  'mpc.bus = [',
  'mpc.gen = [',
  'mpc.branch = [',
  'mpc.gencost = [',
  "mpc.bus_name = {'a';",
  "mpc.version = '3';",
  'mpc.baseMVA = 0;',
  'function mpc = x',
  'end',
  'return',
  '0x10',
  '1e',
  '.',
  '+',
  '1 2 3',
  "'x'",
  'mpc.',
  'mpc.bus(1,:) = 1;',
];

function checkNetwork(net: Network): void {
  expect(net.bus.n).toBeGreaterThan(0);
  expect(net.busIndex.size).toBe(net.bus.n);
  expect(net.baseMVA).toBeGreaterThan(0);
  let refs = 0;
  for (let i = 0; i < net.bus.n; i++) {
    if (net.bus.type[i] === REF) refs++;
    expect(net.busIndex.get(net.bus.busI[i])).toBe(i);
  }
  expect(refs).toBeGreaterThan(0);
  for (let g = 0; g < net.gen.n; g++) expect(net.busIndex.has(net.gen.bus[g])).toBe(true);
  for (let l = 0; l < net.branch.n; l++) {
    expect(net.busIndex.has(net.branch.fbus[l]) && net.busIndex.has(net.branch.tbus[l])).toBe(true);
    for (const c of ['r', 'x', 'b', 'ratio', 'angle', 'status'] as const)
      expect(Number.isFinite(net.branch[c][l])).toBe(true);
  }
}

/** Inputs accepted per test, to show the properties reach the solver, not only the error paths. */
const accepted: Record<string, number> = {};
let current = '';

/** Parses; when accepted, checks the network and that a DC power flow returns a Solution. */
function parseAndSolve(text: string): void {
  const net = onlyInputErrors(() => parseCase(text, '/cases/fuzz.m'), text);
  if (!net) return;
  accepted[current] = (accepted[current] ?? 0) + 1;
  checkNetwork(net);
  const s = solveNetwork('pf_dc', net);
  expect(typeof s.converged).toBe('boolean');
}

describe('case parser: only InputError, whatever the input', () => {
  beforeEach(() => {
    current = expect.getState().currentTestName ?? '';
  });
  afterAll(() => {
    // the mutated and generated cases must often be valid, or the properties test error paths only
    const share = (name: string) => accepted[Object.keys(accepted).find((k) => k.includes(name)) ?? ''] ?? 0;
    expect(share('mutated real case files')).toBeGreaterThan(50);
    expect(share('generated small networks')).toBeGreaterThan(50);
  });
  test('arbitrary text (ASCII, any code point)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
        parseAndSolve,
      ),
      params(2000),
    );
  });

  test('soups of MATPOWER syntax', () => {
    const line = fc.array(fc.constantFrom(...PIECES, ' ', ' ', '1', '2'), { maxLength: 12 }).map((p) => p.join(' '));
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 30 }).map((ls) => ls.join('\n')),
        parseAndSolve,
      ),
      params(2000),
    );
  });

  test('mutated real case files (truncation, deleted / duplicated / swapped lines, replaced tokens)', () => {
    fc.assert(fc.property(mutated(SEEDS, PIECES), parseAndSolve), params(1500));
  });

  test('generated small networks (valid, or with one corrupted cell): random sizes, values, bus numbers and references', () => {
    const val = fc.oneof(
      fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -2, max: 5 }),
    );
    const row = (n: number) => fc.array(val, { minLength: n, maxLength: n });
    const caseText = fc
      .uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 })
      .chain((ids) =>
        fc.record({
          ids: fc.constant(ids),
          types: fc.array(
            fc.oneof(
              { weight: 8, arbitrary: fc.constantFrom(1, 2, 3, 4) },
              { weight: 1, arbitrary: fc.integer({ min: -1, max: 6 }) },
            ),
            { minLength: ids.length, maxLength: ids.length },
          ),
          ref: fc.option(fc.nat({ max: ids.length - 1 }), { freq: 12 }),
          bus: fc.array(row(BUS_COLS.length - 2), { minLength: ids.length, maxLength: ids.length }),
          gen: fc.array(fc.tuple(fc.nat(), row(GEN_COLS.length - 1)), { maxLength: 4 }),
          branch: fc.array(fc.tuple(fc.nat(), fc.nat(), row(BRANCH_COLS.length - 2)), { maxLength: 8 }),
          gencost: fc.option(fc.array(fc.tuple(fc.constantFrom(1, 2), row(6)), { maxLength: 5 }), { freq: 4 }),
          corrupt: fc.option(
            fc.tuple(
              fc.constantFrom('bus', 'gen', 'branch'),
              fc.nat(),
              fc.nat(),
              fc.constantFrom('NaN', 'Inf', '-Inf', '0', '-1', '99', '1e999', '2.5', "'x'", ''),
            ),
            { freq: 3 },
          ),
        }),
      )
      .map((c) => {
        const types = c.types.map((t, i) => (i === c.ref ? 3 : t));
        const tables: Record<'bus' | 'gen' | 'branch', string[][]> = {
          bus: c.ids.map((id, i) => [id, types[i], ...c.bus[i]].map(String)),
          gen: c.gen.map(([at, v]) => [c.ids[at % c.ids.length], ...v].map(String)),
          branch: c.branch.map(([f, t, v]) => [c.ids[f % c.ids.length], c.ids[t % c.ids.length], ...v].map(String)),
        };
        if (c.corrupt) {
          const [table, r, k, value] = c.corrupt;
          const rows = tables[table];
          if (rows.length) {
            const cells = rows[r % rows.length];
            cells[k % cells.length] = value;
          }
        }
        const mat = (rows: string[][]) => rows.map((r) => `\t${r.join('\t')};`).join('\n');
        return [
          'function mpc = gen',
          'mpc.baseMVA = 100;',
          `mpc.bus = [\n${mat(tables.bus)}\n];`,
          `mpc.gen = [\n${mat(tables.gen)}\n];`,
          `mpc.branch = [\n${mat(tables.branch)}\n];`,
          ...(c.gencost ? [`mpc.gencost = [\n${mat(gencost(c.gencost, c.gen.length))}\n];`] : []),
        ].join('\n');
      });
    fc.assert(fc.property(caseText, parseAndSolve), params(2000));
    /** gencost rows: one per generator mostly (model 2: 3 coefficients; model 1: 1 point pair + 1), any count sometimes */
    function gencost(rows: [number, number[]][], ng: number): string[][] {
      const n = rows.length > 0 && rows.length % 2 === 0 ? rows.length : ng;
      return Array.from({ length: n }, (_, i) => {
        const [model, v] = rows[i % Math.max(1, rows.length)] ?? [2, [0, 0, 1, 2, 3, 4]];
        return [model, 0, 0, model === 2 ? 3 : 2, ...v.slice(0, 4)].map(String);
      });
    }
  });
});
