/**
 * Property tests of the MATPOWER case parser: whatever the text, parseCase returns a Network or
 * throws the project's InputError (one line, naming a line that exists), never anything else.
 * A network it accepts satisfies what the solvers rely on, and DC power flow on it gives a
 * Solution (converged or failed), not an exception.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCase } from '../../src/solvers/matpower-case';
import { BRANCH_COLS, BUS_COLS, GEN_COLS, Network, REF } from '../../src/solvers/network';
import { solveNetwork } from '../../src/solvers/solve';
import { mutated, onlyInputErrors, params } from './helpers';

const ROOT = join(__dirname, '..', '..');
const SEEDS = [
  readFileSync(join(ROOT, 'examples/cases/case14.m'), 'utf8'),
  readFileSync(join(ROOT, 'tests/fixtures/specs/case4fuel.m'), 'utf8'),
];

/** Pieces of MATPOWER syntax and troublesome values. */
const PIECES = [
  'NaN', 'nan', 'Inf', '-Inf', 'inf', '0', '-0', '-1', '1e999', '1e-320', '1.5', '3', '4', '5', '99999', '2.5e3',
  '[', ']', ';', '];', '{', '}', "'", "''", '...', '%', '=', ',', '\n', '\r\n', '\r', '\t', '\u0000', '\u00e9', '\ufeff',
  'mpc.bus = [', 'mpc.gen = [', 'mpc.branch = [', 'mpc.gencost = [', "mpc.bus_name = {'a';", "mpc.version = '3';",
  'mpc.baseMVA = 0;', 'function mpc = x', 'end', 'return', '0x10', '1e', '.', '+', '1 2 3', "'x'", 'mpc.', 'mpc.bus(1,:) = 1;',
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
    for (const c of ['r', 'x', 'b', 'ratio', 'angle', 'status'] as const) expect(Number.isFinite(net.branch[c][l])).toBe(true);
  }
}

/** Parses; when accepted, checks the network and that a DC power flow returns a Solution. */
function parseAndSolve(text: string): void {
  const net = onlyInputErrors(() => parseCase(text, '/cases/fuzz.m'), text);
  if (!net) return;
  checkNetwork(net);
  const s = solveNetwork('pf_dc', net);
  expect(typeof s.converged).toBe('boolean');
}

describe('case parser: only InputError, whatever the input', () => {
  test('arbitrary text (ASCII, any code point)', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), parseAndSolve), params(2000));
  });

  test('soups of MATPOWER syntax', () => {
    const line = fc.array(fc.constantFrom(...PIECES, ' ', ' ', '1', '2'), { maxLength: 12 }).map((p) => p.join(' '));
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }).map((ls) => ls.join('\n')), parseAndSolve), params(2000));
  });

  test('mutated real case files (truncation, deleted / duplicated / swapped lines, replaced tokens)', () => {
    fc.assert(fc.property(mutated(SEEDS, PIECES), parseAndSolve), params(1500));
  });

  test('generated small cases: random sizes, values, bus references, types and column counts', () => {
    const num = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -3, max: 6 }) },
      { weight: 2, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e308, 1e-300) },
    );
    const row = (cols: number) => fc.array(num, { minLength: Math.max(0, cols - 2), maxLength: cols + 1 });
    const matrix = (cols: number) => fc.array(row(cols), { maxLength: 6 });
    const mat = (rows: number[][]) => rows.map((r) => r.map((v) => (Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? String(v) : v > 0 ? 'Inf' : '-Inf')).join('\t')).join(';\n');
    const caseText = fc.record({
      baseMVA: num,
      bus: matrix(BUS_COLS.length),
      gen: matrix(GEN_COLS.length),
      branch: matrix(BRANCH_COLS.length),
      gencost: fc.option(matrix(7), { nil: undefined }),
    }).map((c) => [
      'function mpc = gen', `mpc.baseMVA = ${c.baseMVA};`,
      `mpc.bus = [\n${mat(c.bus)}\n];`, `mpc.gen = [\n${mat(c.gen)}\n];`, `mpc.branch = [\n${mat(c.branch)}\n];`,
      ...(c.gencost ? [`mpc.gencost = [\n${mat(c.gencost)}\n];`] : []),
    ].join('\n'));
    fc.assert(fc.property(caseText, parseAndSolve), params(2000));
  });
});
