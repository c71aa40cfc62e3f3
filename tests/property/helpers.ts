/**
 * Shared pieces of the property tests: text mutations (what editing accidents, truncation and
 * corruption do to a file), the "only InputError" check, and run settings.
 *
 * Runs are reproducible: the seed is fixed unless GRIDBATCH_FC_SEED is set (a number, or `random`).
 * GRIDBATCH_FC_SCALE multiplies every run count (e.g. 50 for a long local exploration).
 */
import fc from 'fast-check';
import { isInputError } from '../../src/errors';

const seedEnv = process.env.GRIDBATCH_FC_SEED;
const scale = Number(process.env.GRIDBATCH_FC_SCALE ?? '1') || 1;

/** fast-check parameters for a property with `runs` runs at scale 1. */
export function params(runs: number): fc.Parameters<unknown> {
  const p: fc.Parameters<unknown> = { numRuns: Math.max(1, Math.round(runs * scale)), endOnFailure: false };
  if (seedEnv !== 'random') p.seed = seedEnv ? Number(seedEnv) : 20250701;
  return p;
}

/**
 * Runs fn; it may return normally or throw the project's InputError. Anything else (TypeError,
 * RangeError, a plain Error) fails the property. An InputError must be one line and, when it names
 * a line of `file` (whose content is `text`), a line that exists. (An error may name another file:
 * the grid, a base spec, a profile.)
 */
export function onlyInputErrors<T>(fn: () => T, text?: string, file?: string): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!isInputError(e)) throw e;
    const msg = e.message;
    if (/[\r\n\u2028\u2029]/.test(msg)) throw new Error(`InputError message is not one line: ${JSON.stringify(msg)}`);
    if (e.line !== undefined && text !== undefined && (file === undefined || e.file === file)) {
      const lines = text.split(/\r?\n/).length;
      if (!Number.isInteger(e.line) || e.line < 1 || e.line > lines) {
        throw new Error(`InputError names line ${e.line}, the text has ${lines} lines: ${msg}`);
      }
    }
    return undefined;
  }
}

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'deleteLine'; at: number }
  | { op: 'duplicateLine'; at: number }
  | { op: 'swapLines'; at: number; other: number }
  | { op: 'replaceToken'; at: number; text: string }
  | { op: 'deleteToken'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'deleteChars'; at: number; n: number }
  | { op: 'reindent'; at: number; indent: string };

/** Text made of `pieces` and short random strings, including control and non-ASCII characters. */
function snippet(pieces: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pieces) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  );
}

function mutation(pieces: readonly string[]): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ op: fc.constant('truncate' as const), at }),
    fc.record({ op: fc.constant('deleteLine' as const), at }),
    fc.record({ op: fc.constant('duplicateLine' as const), at }),
    fc.record({ op: fc.constant('swapLines' as const), at, other: at }),
    { weight: 4, arbitrary: fc.record({ op: fc.constant('replaceToken' as const), at, text: snippet(pieces) }) },
    fc.record({ op: fc.constant('deleteToken' as const), at }),
    { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at, text: snippet(pieces) }) },
    fc.record({ op: fc.constant('deleteChars' as const), at, n: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ op: fc.constant('reindent' as const), at, indent: fc.constantFrom('', ' ', '   ', '\t', '      ') }),
  );
}

const TOKEN = /[^\s,;:[\]{}]+/g;

function apply(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const li = lines.length ? m.at % lines.length : 0;
  switch (m.op) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'deleteLine':
      lines.splice(li, 1);
      return lines.join('\n');
    case 'duplicateLine':
      lines.splice(li, 0, lines[li] ?? '');
      return lines.join('\n');
    case 'swapLines': {
      const lj = m.other % Math.max(1, lines.length);
      [lines[li], lines[lj]] = [lines[lj], lines[li]];
      return lines.join('\n');
    }
    case 'replaceToken':
    case 'deleteToken': {
      const toks = [...text.matchAll(TOKEN)];
      if (toks.length === 0) return text;
      const t = toks[m.at % toks.length];
      const start = t.index ?? 0;
      return text.slice(0, start) + (m.op === 'replaceToken' ? m.text : '') + text.slice(start + t[0].length);
    }
    case 'insert': {
      const p = m.at % (text.length + 1);
      return text.slice(0, p) + m.text + text.slice(p);
    }
    case 'deleteChars': {
      const p = m.at % (text.length + 1);
      return text.slice(0, p) + text.slice(p + m.n);
    }
    case 'reindent':
      lines[li] = m.indent + (lines[li] ?? '').trimStart();
      return lines.join('\n');
  }
}

/** A seed text with 1 to `max` mutations applied, built from `pieces` (tokens of the format). */
export function mutated(seeds: readonly string[], pieces: readonly string[], max = 4): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation(pieces), { minLength: 1, maxLength: max }))
    .map(([seed, ms]) => ms.reduce(apply, seed));
}
