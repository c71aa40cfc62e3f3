/**
 * Inside Temporal's limits whatever the batch size: a 240-job batch with a window of 5
 * children, pages of 10 ids and a continue-as-new threshold of 200 events. Every workflow run
 * (including each continued-as-new run of the batch) stays far under 10,240 events, every
 * payload is small, and nothing is lost or counted twice across the runs.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { manifestOf } from '../helpers/manifest';
import { studyPipeline } from '../../src/workflows';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs-ops', 'case14-perturb-120.yaml');

describe('a 240-job batch with a small window and continue-as-new', () => {
  let t: TestTemporal;
  const batchId = `it-scale-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    t = await testTemporal();
  });
  afterAll(async () => t?.close());

  // one scenarioRun per scenario, or scenario groups (pages of 10: groups of at most 10 scenarios;
  // 12 groups make a short history, so a lower limit makes that batch continue as new too)
  test.each(['never', 'always'] as const)(
    'completes with every job once, each run of every workflow under the history limit (scenario groups %s)',
    async (groups) => {
      const id = `${batchId}-groups-${groups}`;
      const outDir = join(ARTIFACTS, 'runs', id);
      const worker = await t.newWorker();
      const handle = await t.client.workflow.start(studyPipeline, {
        workflowId: id,
        taskQueue: t.taskQueue,
        args: [
          {
            batchId: id,
            specPath: SPEC,
            outDir,
            task: 'pf_dc',
            options: {
              maxInFlight: 5,
              pageSize: 10,
              // low enough that the grouped batch (pages as local activities: one marker each) continues as new
              historyLimit: groups === 'never' ? 200 : 30,
              chunkSize: 1,
              scenarioGroups: groups,
              // a study this small would run its groups from its pipeline (small-study.ts): here, in the batch
              batchWorkflow: 'always',
            },
          },
        ],
      });
      const result = await worker.runUntil(handle.result());
      expect(result).toMatchObject({ scenarios: 120, jobs: 240, ok: 240, failed: 0 });
      const m = await manifestOf(outDir);
      expect(new Set(m.jobs.map((j) => j.job_id)).size).toBe(240);

      // every execution that belongs to this batch, every run of it
      let runs = 0;
      let batchRuns = 0;
      let maxEvents = 0;
      let maxPayload = 0;
      const grouped: string[] = [];
      for await (const w of t.client.workflow.list({ query: `WorkflowId STARTS_WITH '${id}'` })) {
        const h = await t.client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
        const events = h.events ?? [];
        runs++;
        if (w.type === 'studyBatch') batchRuns++;
        if (w.type === 'scenarioGroup') {
          const d = await t.client.workflow.getHandle(w.workflowId).describe();
          const memo = d.memo as { firstIndex: number; lastIndex: number };
          const ids =
            (await d.staticDetails())
              ?.split('\n')
              .slice(1)
              .map((l) => l.replace(/ \(\d+\)$/, '')) ?? [];
          expect(ids).toHaveLength(memo.lastIndex - memo.firstIndex + 1);
          grouped.push(...ids);
        }
        // a group cut to one scenario (continue-as-new mid-page) runs as a scenarioRun
        if (w.type === 'scenarioRun') grouped.push(w.workflowId.slice(id.length + 1));
        maxEvents = Math.max(maxEvents, events.length);
        for (const e of events) {
          const payloads = [
            e.workflowExecutionStartedEventAttributes?.input?.payloads,
            e.activityTaskCompletedEventAttributes?.result?.payloads,
            e.activityTaskScheduledEventAttributes?.input?.payloads,
            e.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads,
            // a local activity's result (a page of scenario ids, the materialize counts, the manifest's)
            e.markerRecordedEventAttributes?.details?.result?.payloads,
          ].flatMap((p) => p ?? []);
          for (const p of payloads) maxPayload = Math.max(maxPayload, p.data?.length ?? 0);
        }
      }
      // pipeline + batch runs + 120 scenario children, or groups (and single scenarios) that hold every scenario once
      if (groups === 'never') expect(runs).toBe(1 + batchRuns + 120);
      else {
        expect(grouped.sort()).toEqual(
          m.jobs
            .filter((j) => j.time?.endsWith('08:00:00Z'))
            .map((j) => j.scenario_id)
            .sort(),
        );
        expect(runs).toBeLessThanOrEqual(1 + batchRuns + 24);
      }
      expect(batchRuns).toBeGreaterThan(1); // continued as new at least once
      expect(maxEvents).toBeLessThan(1000);
      expect(maxPayload).toBeLessThan(64 * 1024);
      console.log(
        `scale (groups ${groups}): ${runs} workflow runs (${batchRuns} of studyBatch), max history ${maxEvents} events, max payload ${maxPayload} bytes`,
      );
    },
  );

  // 120 chunks of one slice: as regular activities (about 6 events each) against a limit of 200
  // events, as local activities (one marker each, many per workflow task) against a limit of 40
  test.each([
    ['regular activities', 'never', 200, 400],
    ['local activities', 'always', 40, 100],
  ] as const)(
    'a scenario with many chunks (%s) continues as new and loses no slice',
    async (label, localActivities, historyLimit, maxEvents) => {
      const id = `${batchId}-long-${localActivities}`;
      const outDir = join(ARTIFACTS, 'runs', id);
      const worker = await t.newWorker();
      const handle = await t.client.workflow.start(studyPipeline, {
        workflowId: id,
        taskQueue: t.taskQueue,
        args: [
          {
            batchId: id,
            specPath: resolve(__dirname, '..', 'fixtures', 'specs-ops', 'case14-long-scenario.yaml'),
            outDir,
            task: 'pf_dc',
            options: { chunkSize: 1, historyLimit, localActivities, skipFeaturize: true, skipReport: true },
          },
        ],
      });
      const result = await worker.runUntil(handle.result());
      expect(result).toMatchObject({ scenarios: 1, jobs: 120, ok: 120 });
      const m = await manifestOf(outDir);
      expect(new Set(m.jobs.map((j) => j.time)).size).toBe(120);
      const runs: number[] = [];
      for await (const w of t.client.workflow.list({ query: `WorkflowId = '${id}/base'` }))
        runs.push(w.historyLength ?? 0);
      expect(runs.length).toBeGreaterThan(2);
      expect(Math.max(...runs)).toBeLessThan(maxEvents);
      console.log(`long scenario, ${label}: ${runs.length} runs, max history ${Math.max(...runs)} events`);
    },
  );
});
