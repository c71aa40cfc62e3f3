/**
 * Progress of a closed batch without asking a worker (a query would need one to replay it):
 * job counts from the workflow memo, scenario counts from the run record and batch_manifest.json
 * in its output folder (a scenario is done when none of its jobs was skipped).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { BatchManifest } from '../activities/batch-manifest';
import { layout } from '../io/layout';
import { LiveProgress } from './watch';

function readJson<T>(path: string): T | undefined {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function closedProgress(state: string, memo: Record<string, unknown>): LiveProgress | undefined {
  if (typeof memo.jobs !== 'number') return undefined;
  const out = typeof memo.out === 'string' ? memo.out : undefined;
  const rec = out ? readJson<{ num_scenarios?: number }>(layout.runRecord(out)) : undefined;
  const manifest = out ? readJson<BatchManifest>(layout.batchManifest(out)) : undefined;
  let scenarios = rec?.num_scenarios ?? 0;
  let scenariosDone = 0;
  if (manifest) {
    const skipped = new Map<string, boolean>();
    for (const j of manifest.jobs) skipped.set(j.scenario_id, (skipped.get(j.scenario_id) ?? false) || j.status === 'skipped');
    scenarios = Math.max(scenarios, skipped.size);
    for (const s of skipped.values()) if (!s) scenariosDone++;
  } else if (state === 'COMPLETED') scenariosDone = scenarios;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { stage: state === 'COMPLETED' ? 'done' : 'cancelled', scenarios, jobs: memo.jobs, scenariosDone, jobsOk: num(memo.ok), jobsFailed: num(memo.failed), inFlight: 0 };
}
