/**
 * Replay: the committed histories of every workflow type (tests/fixtures/histories, recorded by
 * `npm run record:histories`) replay against the current workflow code without a determinism
 * error. No server needed. A change that would break running executions fails here: guard it
 * with patched() or make it a new workflow type (docs/reliability.md).
 */
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as workflows from '../../src/workflows';
import { installRuntime, workflowsPath } from '../../src/temporal/worker';
import { historyFromFixture } from './history-json';
import { FIXTURES } from './record';

installRuntime('WARN');

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const history = historyFromFixture(readFileSync(join(FIXTURES, file), 'utf8'));
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    return { file, history, type: started?.workflowType?.name ?? '?' };
  });

async function replay(
  path: string,
  only?: (f: (typeof fixtures)[number]) => boolean,
): Promise<Map<string, Error | undefined>> {
  const chosen = fixtures.filter(only ?? (() => true));
  const out = new Map<string, Error | undefined>();
  const results = Worker.runReplayHistories(
    { workflowsPath: path, replayName: 'fixtures' },
    chosen.map((f) => ({ workflowId: f.file, history: f.history })),
  );
  for await (const r of results) out.set(r.workflowId, r.error);
  return out;
}

describe('replay of the committed workflow histories', () => {
  test('there is a fixture for every workflow type, named after its type', () => {
    const types = Object.keys(workflows)
      .filter((k) => typeof (workflows as Record<string, unknown>)[k] === 'function')
      .sort();
    expect(types).toEqual(['scenarioGroup', 'scenarioRun', 'screenedStudy', 'studyBatch', 'studyPipeline']);
    for (const t of types) expect(fixtures.filter((f) => f.type === t).length).toBeGreaterThan(0);
    for (const f of fixtures) expect(f.file.startsWith(`${f.type}--`)).toBe(true);
  });

  test('studyBatch fixtures include runs that continued as new and one that started from a carried cursor', () => {
    const batch = fixtures.filter((f) => f.type === 'studyBatch');
    const last = (f: (typeof fixtures)[number]) => f.history.events?.[f.history.events.length - 1];
    expect(batch.filter((f) => last(f)?.workflowExecutionContinuedAsNewEventAttributes).length).toBeGreaterThan(0);
    expect(
      batch.filter((f) => f.history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId)
        .length,
    ).toBeGreaterThan(0);
  });

  test('studyBatch fixtures include batches with scenario groups and batches recorded before them', () => {
    const batch = fixtures.filter((f) => f.type === 'studyBatch');
    const startsGroups = (f: (typeof fixtures)[number]) =>
      (f.history.events ?? []).some(
        (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name === 'scenarioGroup',
      );
    const patchMarker = (f: (typeof fixtures)[number]) =>
      JSON.stringify(f.history.events ?? []).includes('scenario-groups');
    expect(batch.filter(startsGroups).length).toBeGreaterThan(0);
    expect(batch.filter((f) => f.file.includes('--legacy-before-scenario-groups-')).length).toBeGreaterThan(0);
    for (const f of batch.filter((x) => x.file.includes('--legacy-'))) expect(patchMarker(f)).toBe(false);
  });

  test('studyPipeline fixtures include a small study whose groups ran as its own activities (small-study.ts)', () => {
    const pipeline = fixtures.filter((f) => f.type === 'studyPipeline');
    const groupActivities = (f: (typeof fixtures)[number]) =>
      (f.history.events ?? []).filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'solveScenarioGroup',
      ).length;
    const startsChildren = (f: (typeof fixtures)[number]) =>
      (f.history.events ?? []).some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    const small = pipeline.filter((f) => groupActivities(f) > 0);
    expect(small.length).toBeGreaterThan(0);
    for (const f of small) expect(startsChildren(f)).toBe(false);
    // the same kind of study recorded before: it replays starting its studyBatch child
    const before = pipeline.find((f) => f.file === 'studyPipeline--legacy-before-small-study.json');
    expect(before && startsChildren(before)).toBe(true);
  });

  test('scenarioRun fixtures run their chunks both as local activities and as regular activities', () => {
    const scenario = fixtures.filter((f) => f.type === 'scenarioRun');
    const has = (pred: (e: NonNullable<(typeof fixtures)[number]['history']['events']>[number]) => boolean) =>
      scenario.filter((f) => (f.history.events ?? []).some(pred)).map((f) => f.file);
    expect(has((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThan(0);
    expect(has((e) => Boolean(e.activityTaskScheduledEventAttributes)).length).toBeGreaterThan(0);
  });

  test('every patch of the workflow code is in a fixture recorded with it and in one recorded before it', () => {
    const dir = resolve(__dirname, '..', '..', 'src', 'workflows');
    const ids = new Set<string>();
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts')))
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/patched\('([a-z0-9-]+)'\)/g)) ids.add(m[1]);
    expect(ids.size).toBeGreaterThan(0);
    const patchesOf = (f: (typeof fixtures)[number]) =>
      new Set(
        (f.history.events ?? []).flatMap((e) => {
          const m = e.markerRecordedEventAttributes;
          const data = m?.markerName === 'core_patch' ? m.details?.['patch-data']?.payloads?.[0]?.data : undefined;
          return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
        }),
      );
    const recorded = fixtures.map(patchesOf);
    const missing = [...ids].filter((id) => !recorded.some((r) => r.has(id)));
    expect(missing).toEqual([]);
    // the branch without the patch replays too: some fixture of the same workflow type lacks it
    for (const id of ids) {
      const types = new Set(fixtures.filter((_, i) => recorded[i].has(id)).map((f) => f.type));
      expect([...types].some((t) => fixtures.some((f, i) => f.type === t && !recorded[i].has(id)))).toBe(true);
    }
  });

  test('every fixture replays against the current workflow code', async () => {
    const errors = await replay(workflowsPath());
    expect(errors.size).toBe(fixtures.length);
    const failed = [...errors].filter(([, e]) => e).map(([file, e]) => `${file}: ${e?.name}: ${e?.message}`);
    expect(failed).toEqual([]);
  });

  test('negative control: a non-deterministic change to scenarioRun is caught', async () => {
    const errors = await replay(resolve(__dirname, 'broken', 'workflows.ts'), (f) => f.type === 'scenarioRun');
    expect(errors.size).toBeGreaterThan(0);
    for (const [, e] of errors) {
      expect(e).toBeInstanceOf(DeterminismViolationError);
    }
  });
});
