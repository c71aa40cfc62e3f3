/**
 * scenario_manifest.json written one scenario at a time with its byte index
 * (src/io/scenario-index.ts): the file is byte for byte what JSON.stringify(manifest, null, 2)
 * gives, and the head, one scenario and a page read through the index equal the parsed manifest.
 * A study without an index, or with one that does not match, is read by parsing the whole file.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { materializeStudy } from '../../src/activities/materialize';
import { layout } from '../../src/io/layout';
import { readScenarioManifest, StudyManifest } from '../../src/io/scenario-manifest';
import { writeScenarioManifest } from '../../src/io/scenario-index';
import { openScenarioSource, scenariosOf } from '../../src/io/scenario-source';

const SPEC = resolve(__dirname, '..', '..', 'examples', 'case14-n1.yaml');

describe('scenario manifest index', () => {
  const out = mkdtempSync(join(tmpdir(), 'gb-scenario-index-'));
  let m: StudyManifest;
  beforeAll(() => {
    materializeStudy({ batchId: 'index-test', specPath: SPEC, outDir: out, task: 'pf_dc' });
    m = readScenarioManifest(out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the same bytes as JSON.stringify with a 2-space indent', () => {
    expect(m.scenarios.length).toBeGreaterThan(10);
    expect(readFileSync(layout.scenarioManifest(out), 'utf8')).toBe(`${JSON.stringify(m, null, 2)}\n`);
  });

  it('reads the head, one scenario and pages through the index', () => {
    const src = openScenarioSource(out);
    expect(src.count).toBe(m.scenarios.length);
    expect(src.head).toEqual({ ...m, scenarios: [] });
    const last = m.scenarios.length - 1;
    expect(src.at(3, m.scenarios[3].scenarioId)).toEqual(m.scenarios[3]);
    expect(src.at(last, m.scenarios[last].scenarioId)).toEqual(m.scenarios[last]);
    expect(() => src.at(3, m.scenarios[4].scenarioId)).toThrow(/scenario 3 of the manifest is not/);
    expect(() => src.at(last + 1, 'x')).toThrow(/is not 'x'/);
    expect(src.page(2, 5)).toEqual(m.scenarios.slice(2, 7));
    expect(src.page(last, 10)).toEqual(m.scenarios.slice(last));
    expect(src.page(last + 1, 10)).toEqual([]);
    expect([...scenariosOf(src, 4)]).toEqual(m.scenarios);
  });

  it('writes an empty scenario list and a multi-byte id exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-scenario-index-empty-'));
    try {
      const empty = { ...m, scenarios: [] };
      writeScenarioManifest(dir, empty);
      expect(readFileSync(layout.scenarioManifest(dir), 'utf8')).toBe(`${JSON.stringify(empty, null, 2)}\n`);
      expect(openScenarioSource(dir).count).toBe(0);
      const odd = {
        ...m,
        warnings: ['ünïcode ⚡ "quoted"\nline'],
        scenarios: [{ ...m.scenarios[0], scenarioId: 'größe/⚡ "x"', description: 'a\nb' }, m.scenarios[1]],
      };
      writeScenarioManifest(dir, odd);
      expect(readFileSync(layout.scenarioManifest(dir), 'utf8')).toBe(`${JSON.stringify(odd, null, 2)}\n`);
      const src = openScenarioSource(dir);
      expect(src.at(0, 'größe/⚡ "x"')).toEqual(odd.scenarios[0]);
      expect(src.at(1, m.scenarios[1].scenarioId)).toEqual(m.scenarios[1]);
      expect(src.head.warnings).toEqual(odd.warnings);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to the whole manifest without an index, or with one that does not match', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-scenario-index-old-'));
    try {
      // a study materialized before the index: only the JSON
      writeFileSync(layout.scenarioManifest(dir), `${JSON.stringify(m, null, 2)}\n`);
      expect(openScenarioSource(dir).page(0, 1000)).toEqual(m.scenarios);
      // an index of another manifest (the rewrite stopped between the two renames)
      writeScenarioManifest(dir, { ...m, scenarios: m.scenarios.slice(0, 3) });
      writeFileSync(layout.scenarioManifest(dir), `${JSON.stringify(m, null, 2)}\n`);
      const src = openScenarioSource(dir);
      expect(src.count).toBe(m.scenarios.length);
      expect(src.at(5, m.scenarios[5].scenarioId)).toEqual(m.scenarios[5]);
      unlinkSync(layout.scenarioIndex(dir));
      expect(openScenarioSource(dir).count).toBe(m.scenarios.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
