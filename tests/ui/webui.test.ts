/**
 * The Temporal Web UI of the test dev server, opened in headless Chromium, shows what an operator
 * needs to follow a study: filtering on the custom search attribute BatchId lists the study,
 * its batch and every scenario child; the batch, the pipeline and a scenario show their summary
 * and their current details (progress text, from a live worker); activities show their summary.
 * Screenshots are kept under tests/artifacts/ui/ (GRIDBATCH_DOCS_SCREENSHOT=1 also writes
 * docs/webui-batch.png). Needs Chromium (tests/helpers/requirements.ts: CI fails without it).
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startBatch } from '../../src/cli/start-batch';
import { connectionSettings, readDevConfig } from '../../src/temporal/config';
import { createWorker } from '../../src/temporal/worker';
import { capture } from '../helpers/cli';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';
import { chromiumMissing, launchChromium } from './browser';
import { skipGroup } from '../helpers/requirements';

const REPO = resolve(__dirname, '..', '..');
const SPEC = join(REPO, 'tests', 'fixtures', 'specs', 'case14-n1-islands-fail.yaml'); // branch 14's two jobs fail
const SHOTS = join(ARTIFACTS, 'ui');
const run = randomBytes(3).toString('hex');
const missing = skipGroup('chromium', 'tests/ui/webui.test.ts') ? chromiumMissing() : undefined;

jest.setTimeout(90_000);

if (missing) {
  describe('Temporal Web UI (skipped)', () => {
    test.skip(`skipped: ${missing}`, () => undefined);
  });
} else {
  describe('Temporal Web UI shows a study: search attributes, summaries, current details', () => {
    let t: TestTemporal;
    let batchId: string;
    beforeAll(async () => {
      t = await testTemporal();
      mkdirSync(SHOTS, { recursive: true });
      // the README's example study through the CLI (in-process worker), as a user starts it
      const r = await capture(() =>
        startBatch({
          spec: SPEC,
          task: 'pf_dc',
          out: join(ARTIFACTS, 'runs', `ui-${run}`),
          wait: true,
          json: true,
          skipFeaturize: true,
          skipReport: true,
        }),
      );
      expect(r.code).toBe(1); // branch 14's outage islands bus 8: 2 of 46 jobs fail, as results
      batchId = (JSON.parse(r.out) as { batchId: string }).batchId;
    });
    afterAll(async () => t?.close());

    test('the UI lists the batch and its children, with summaries and live progress text', async () => {
      const ui = `http://127.0.0.1:${readDevConfig().ui_port}/namespaces/default`;
      const wf = (id: string) => `${ui}/workflows/${encodeURIComponent(id)}`;
      // current details come from a query answered by a worker: keep one polling while we look
      const worker = await createWorker({
        connection: t.nativeConnection,
        namespace: t.namespace,
        taskQueue: connectionSettings().taskQueue,
      });
      await worker.runUntil(async () => {
        const browser = await launchChromium();
        try {
          const page = await browser.context.newPage();

          // 1. one batch's runs, by the custom search attribute BatchId
          await page.goto(`${ui}/workflows?query=${encodeURIComponent(`BatchId="${batchId}"`)}`);
          await page.getByText(`${batchId}/n1_branch_20`, { exact: true }).waitFor({ timeout: 30_000 });
          const list = await page.innerText('main');
          for (const id of [
            batchId,
            `${batchId}/batch`,
            `${batchId}/base`,
            `${batchId}/load_90`,
            `${batchId}/n1_branch_14`,
          ])
            expect(list).toContain(id);
          expect(list.match(/\bscenarioRun\b/g)).toHaveLength(23);
          expect(list).toContain('studyPipeline');
          expect(list).toContain('studyBatch');
          await page.screenshot({ path: join(SHOTS, 'list-by-batch-id.png') });

          // 2. the batch: summary and progress text
          const batch = await userMetadata(page, wf(`${batchId}/batch`), '46 of 46 jobs done');
          expect(batch).toContain('fan-out of 46 pf_dc jobs (23 scenarios)');
          expect(batch).toContain('46 of 46 jobs done (2 failed), 23 of 23 scenarios, 0 running');
          const png = join(SHOTS, 'batch-user-metadata.png');
          await page.screenshot({ path: png });
          if (process.env.GRIDBATCH_DOCS_SCREENSHOT === '1') {
            copyFileSync(png, join(REPO, 'docs', 'webui-batch.png'));
            expect(statSync(join(REPO, 'docs', 'webui-batch.png')).size).toBeLessThan(300_000);
          }

          // 3. the study: summary, static details (spec and output) and its stage
          const study = await userMetadata(page, wf(batchId), 'stage done');
          expect(study).toContain('gridbatch pf_dc study case14-n1-islands-fail.yaml');
          expect(study).toContain(`spec: ${SPEC}`);
          expect(study).toContain('stage done: 44 ok, 2 failed of 46 jobs');
          expect(study).toContain('fan-out of 46 pf_dc jobs (23 scenarios)'); // the child, under events with metadata
          await page.screenshot({ path: join(SHOTS, 'study-user-metadata.png') });

          // 4. a scenario child: summary, progress text, its activities' summaries, search attributes
          const scenario = await userMetadata(page, wf(`${batchId}/n1_branch_14`), 'scenario n1_branch_14:');
          expect(scenario).toContain('pf_dc scenario n1_branch_14 (2 jobs)');
          expect(scenario).toContain('scenario n1_branch_14: 0 ok, 2 failed of 2 jobs');
          expect(scenario).toContain('pf_dc n1_branch_14 slices 1-2'); // the solve activity's summary
          expect(scenario).toContain('Local Activity'); // short chunks run as local activities (auto)
          await page.screenshot({ path: join(SHOTS, 'scenario-user-metadata.png') });
          await page.getByRole('tab', { name: 'Search Attributes' }).first().click();
          await page.getByText('ScenarioId').first().waitFor();
          const sa = await page.innerText('main');
          for (const s of ['BatchId', batchId, 'ScenarioId', 'n1_branch_14', 'Stage', 'done']) expect(sa).toContain(s);
          await page.screenshot({ path: join(SHOTS, 'scenario-search-attributes.png') });
        } finally {
          await browser.close();
        }
      });
    });
  });
}

/**
 * Opens a workflow's "User Metadata" tab and returns its text, including the summary, details
 * and current details the UI renders in sandboxed frames, once `expected` shows up. The UI draws
 * "a/b" as a fraction (U+2044); it is read back as "/".
 */
async function userMetadata(page: Page, url: string, expected: string): Promise<string> {
  await page.goto(url);
  await page.getByRole('tab', { name: 'User Metadata' }).first().click();
  await page.getByText('Current Details').first().waitFor({ timeout: 30_000 });
  const t0 = Date.now();
  for (;;) {
    const texts = [await page.innerText('main')];
    for (const f of page.frames()) if (f !== page.mainFrame()) texts.push(await f.innerText('body').catch(() => ''));
    const text = texts.join('\n').replace(/\u2044/g, '/');
    if (text.includes(expected) || Date.now() - t0 > 30_000) return text;
    await page.waitForTimeout(250);
  }
}
