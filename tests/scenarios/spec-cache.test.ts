/**
 * The parsed-spec cache (src/scenarios/spec-cache.ts): a large spec is parsed once; a hit gives
 * the same data and the same error lines as parsing; small specs and broken ones are not cached.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadStudy } from '../../src/scenarios/load-spec';
import { parseSpecText } from '../../src/scenarios/source';
import { CACHE_MAX_ENTRIES, CACHE_MIN_BYTES } from '../../src/scenarios/spec-cache';

const CASE = resolve(__dirname, '..', '..', 'examples', 'cases', 'case14.m');

function bigSpec(n: number, extra = ''): string {
  const lines = [
    'version: 1',
    `grid_file: ${CASE}`,
    'defaults:',
    '  time_slices: ["2025-01-15T08:00:00Z"]',
    'scenarios:',
  ];
  for (let k = 0; k < n; k++)
    lines.push(`  - scenario_id: sc${String(k).padStart(5, '0')}`, `    load_scale: ${(0.9 + k / 10_000).toFixed(4)}`);
  return lines.join('\n') + '\n' + extra;
}

describe('parsed-spec cache', () => {
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spec-cache-'));
    cache = join(dir, 'cache');
    process.env.GRIDBATCH_SPEC_CACHE = cache;
  });
  afterEach(() => {
    delete process.env.GRIDBATCH_SPEC_CACHE;
    rmSync(dir, { recursive: true, force: true });
  });
  const entries = () => {
    try {
      return readdirSync(cache).filter((f) => f.endsWith('.v8'));
    } catch {
      return [];
    }
  };

  test('a large spec is parsed once: the hit has the same data, lines and study', () => {
    const text = bigSpec(1_000);
    expect(text.length).toBeGreaterThan(CACHE_MIN_BYTES);
    const file = join(dir, 'spec.yaml');
    writeFileSync(file, text);
    const first = parseSpecText(text, file);
    expect(entries()).toHaveLength(1);
    const second = parseSpecText(text, file);
    expect(entries()).toHaveLength(1);
    expect(second.data).toEqual(first.data);
    // the node tree is parsed on demand: the same line as the first parse
    expect(second.lineOf(['scenarios', 500, 'load_scale'])).toBe(first.lineOf(['scenarios', 500, 'load_scale']));
    expect(second.lineOf(['scenarios', 500, 'load_scale'])).toBe(5 + 2 * 500 + 2);
    const a = loadStudy(file);
    const b = loadStudy(file);
    expect(b.study.scenarios.map((s) => s.hash)).toEqual(a.study.scenarios.map((s) => s.hash));
  });

  test('a validation error of a cached spec names the same line', () => {
    const text = bigSpec(1_000, '  - scenario_id: bad\n    load_scale: -1\n');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, text);
    const messages = [0, 1].map(() => {
      try {
        loadStudy(file);
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(entries()).toHaveLength(1);
    expect(messages[1]).toBe(messages[0]);
    expect(messages[0]).toMatch(/bad\.yaml:2007 at scenarios\[1000\]\.load_scale/);
  });

  test('broken YAML and small specs are not cached; the folder keeps the newest entries', () => {
    const file = join(dir, 'x.yaml');
    expect(() => parseSpecText(bigSpec(1_000, 'scenarios: [\n'), file)).toThrow(/invalid YAML/);
    parseSpecText(bigSpec(3), file);
    expect(entries()).toHaveLength(0);
    for (let k = 0; k < CACHE_MAX_ENTRIES + 3; k++) parseSpecText(bigSpec(400 + k), file);
    expect(entries()).toHaveLength(CACHE_MAX_ENTRIES);
  });

  test('an unreadable cache folder means no cache, not an error', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'not a folder');
    process.env.GRIDBATCH_SPEC_CACHE = blocker;
    const text = bigSpec(1_000);
    expect(parseSpecText(text, join(dir, 's.yaml')).data).toEqual(parseSpecText(text, join(dir, 't.yaml')).data);
  });
});
