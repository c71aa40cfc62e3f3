/**
 * The solve work of a scenario group (src/workflows/group.ts): every chunk still to run of every
 * scenario in the group, on the solve pool, scenarios side by side (as many as the pool has
 * threads, plus one queued), the chunks of one scenario in order. The counts of the finished
 * scenarios are heartbeated (at most once a second, and when the attempt ends), and a retry passes
 * them back in `done`, so a retried attempt runs only the scenarios that had not finished.
 */
import type { ChunkRef, GroupInput, ScenarioRef, ScenarioResult } from '../contracts/workflow-types';
import type { ChunkResult } from './chunk-runner';
import { chunkRanges, chunkSlices } from '../contracts/chunk-plan';
import { runLanes } from './lanes';
import { GROUP_MIN_PARTS, partsOf } from '../contracts/partition';
import type { PartResult } from './part-runner';

/** Least time between two progress heartbeats of a group. */
const HEARTBEAT_MS = 1000;

/** Counts of the scenarios an earlier attempt finished, by scenario index. */
export type GroupProgress = Record<number, { ok: number; failed: number }>;

/** The chunk refs of a scenario that must run: its plan's ranges, else all its chunks. */
export function chunkRefsOf(input: GroupInput, s: ScenarioRef): ChunkRef[] {
  const refs: ChunkRef[] = [];
  for (const [from, to] of chunkRanges(s.jobs, input.chunkSize, s.chunks)) {
    for (let c = from; c < to; c++) {
      const { sliceStart, sliceEnd } = chunkSlices(c, s.jobs, input.chunkSize);
      refs.push({
        outDir: input.outDir,
        task: input.task,
        scenarioIndex: s.index,
        scenarioId: s.id,
        chunk: c,
        sliceStart,
        sliceEnd,
        warmStart: input.warmStart,
        solver: input.solver,
      });
    }
  }
  return refs;
}

/**
 * Reports the group's progress at most once a second, and always when `final` (the attempt's
 * end): a heartbeat per finished scenario cost ~0.8 s of the worker's main thread per 30,000
 * pf_dc jobs (bench:batch profile).
 */
function throttledProgress(done: GroupProgress, onScenarioDone: (done: GroupProgress) => void) {
  let lastBeat = -Infinity;
  return (final: boolean) => {
    const now = Date.now();
    if (!final && now - lastBeat < HEARTBEAT_MS) return;
    lastBeat = now;
    onScenarioDone(done);
  };
}

export async function runScenarioGroup(
  input: GroupInput,
  runChunk: (ref: ChunkRef) => Promise<ChunkResult>,
  lanes: number,
  done: GroupProgress,
  onScenarioDone: (done: GroupProgress) => void,
): Promise<ScenarioResult[]> {
  let next = 0;
  const progress = throttledProgress(done, onScenarioDone);
  const lane = async (stopped: () => boolean) => {
    while (!stopped() && next < input.scenarios.length) {
      const s = input.scenarios[next++];
      if (done[s.index]) continue;
      let ok = s.prior?.ok ?? 0;
      let failed = s.prior?.failed ?? 0;
      for (const ref of chunkRefsOf(input, s)) {
        if (stopped()) return;
        const r = await runChunk(ref);
        ok += r.ok;
        failed += r.failed;
      }
      done[s.index] = { ok, failed };
      progress(false);
    }
  };
  // every lane settles before the activity ends (a cancelled lane must not leave another's chunk writing)
  try {
    await runLanes(Math.min(lanes, input.scenarios.length), lane);
  } finally {
    progress(true); // a failed attempt's retry skips every scenario finished (the SDK flushes this heartbeat)
  }
  return input.scenarios.map((s) => ({ scenarioId: s.id, ...done[s.index] }));
}

/**
 * The bucket layout's group (src/contracts/partition.ts): the group's scenarios split into parts
 * (partsOf over all of them, at least GROUP_MIN_PARTS parts so two threads share a group; every
 * attempt splits the same way and a part keeps its file
 * names), each part one solve-thread task writing one file per table. A part's scenarios count
 * as done together, when its records are written; a retried attempt runs the parts not done.
 */
export async function runScenarioGroupInParts(
  input: GroupInput,
  runPart: (refs: ChunkRef[]) => Promise<PartResult>,
  lanes: number,
  done: GroupProgress,
  onScenarioDone: (done: GroupProgress) => void,
): Promise<ScenarioResult[]> {
  const parts = partsOf(input.scenarios, (s) => s.jobs, GROUP_MIN_PARTS);
  let next = 0;
  const progress = throttledProgress(done, onScenarioDone);
  const lane = async (stopped: () => boolean) => {
    while (!stopped() && next < parts.length) {
      const part = parts[next++].filter((s) => !done[s.index]);
      if (part.length === 0) continue;
      const refs = part.flatMap((s) => chunkRefsOf(input, s));
      const r = refs.length ? await runPart(refs) : undefined;
      for (const s of part) {
        const c = r?.byScenario[s.index] ?? { ok: 0, failed: 0 };
        done[s.index] = { ok: (s.prior?.ok ?? 0) + c.ok, failed: (s.prior?.failed ?? 0) + c.failed };
      }
      progress(false);
    }
  };
  // as runScenarioGroup: every lane settles, and the last state is heartbeated, before the activity ends
  try {
    await runLanes(Math.min(lanes, parts.length), lane);
  } finally {
    progress(true);
  }
  return input.scenarios.map((s) => ({ scenarioId: s.id, ...done[s.index] }));
}
