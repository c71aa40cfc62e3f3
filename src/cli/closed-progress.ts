/**
 * Progress of a closed batch without asking a worker (a query would need one to replay it):
 * job counts from the workflow memo, scenario counts from the run record and the batch manifest
 * in its output folder (a scenario is done when none of its jobs was skipped).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readBatchManifest } from '../activities/batch-manifest';
import { layout } from '../io/layout';
import { LiveProgress } from './watch';

function readJson<T>(path: string): T | undefined {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
  } catch {
    return undefined;
  }
}

export async function closedProgress(state: string, memo: Record<string, unknown>): Promise<LiveProgress | undefined> {
  if (typeof memo.jobs !== 'number') return undefined;
  const out = typeof memo.out === 'string' ? memo.out : undefined;
  const rec = out ? readJson<{ num_scenarios?: number }>(layout.runRecord(out)) : undefined;
  const jobs =
    out && existsSync(layout.batchManifest(out))
      ? (await readBatchManifest(out).catch(() => undefined))?.jobs
      : undefined;
  let scenarios = rec?.num_scenarios ?? 0;
  let scenariosDone = 0;
  if (jobs) {
    const skipped = new Map<string, boolean>();
    for (const j of jobs) skipped.set(j.scenario_id, (skipped.get(j.scenario_id) ?? false) || j.status === 'skipped');
    scenarios = Math.max(scenarios, skipped.size);
    for (const s of skipped.values()) if (!s) scenariosDone++;
  } else if (state === 'COMPLETED') scenariosDone = scenarios;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    stage: state === 'COMPLETED' ? 'done' : 'cancelled',
    scenarios,
    jobs: memo.jobs,
    scenariosDone,
    jobsOk: num(memo.ok),
    jobsFailed: num(memo.failed),
    inFlight: 0,
  };
}
