/**
 * A person's view of the HTML report: headless Chromium renders it and a screenshot is kept at
 * tests/artifacts/report/report-case14-pf_ac.png. Needs Debian's chromium (CI installs it);
 * without it (and outside CI) the test is skipped with a message.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from '../../src/report';
import { runLocalBatch } from '../featurize/local-batch';
import { ARTIFACTS } from '../helpers/test-server';
import { screenshot } from './screenshot';
import { testWith } from '../helpers/requirements';

testWith('chromium', 'tests/report/screenshot.test.ts')(
  'headless Chromium renders the four plots, loads nothing from outside, and the screenshot is kept',
  async () => {
    const out = runLocalBatch('pf_ac', 'screenshot');
    const r = await buildReport(out);
    const png = join(ARTIFACTS, 'report', 'report-case14-pf_ac.png');
    const shot = await screenshot(join(r.dir, 'report.html'), png);
    expect(shot.external).toEqual([]);
    expect(shot.charts).toHaveLength(4); // cost, loading, voltage, contingency ranking
    for (const c of shot.charts) {
      expect(c.width).toBeGreaterThan(400);
      expect(c.height).toBeGreaterThan(150);
    }
    expect(shot.headings.slice(0, 3)).toEqual([
      '1. Cost by scenario',
      '2. Branch loading: scenario × branch',
      '3. Voltage profile',
    ]);
    expect(statSync(png).size).toBeGreaterThan(50_000);
  },
);
