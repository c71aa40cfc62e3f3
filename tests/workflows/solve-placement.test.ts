/** Where solve chunks run (local activities for short chunks, regular ones otherwise) and which scenarios join a group. */
import {
  CHUNK_FIXED_MS,
  chunksRunLocal,
  estimatedChunkMs,
  estimatedScenarioMs,
  LOCAL_CHUNK_MS,
  LOCAL_THREAD_MS,
  localSolveThreads,
  WARM_UP_MAX_JOBS,
  WARM_UP_MS,
  WARM_UP_STEP_JOBS,
  warmUpJobs,
} from '../../src/workflows/solve-placement';
import { groupableMs, GROUP_MIN_SCENARIOS, GROUP_TARGET_MS } from '../../src/workflows/scenario-groups';

describe('solve chunk placement', () => {
  test('auto: short chunks local, long chunks regular activities', () => {
    expect(chunksRunLocal('auto', 'pf_ac', 118, 24)).toBe(true); // ~20 ms
    expect(chunksRunLocal(undefined, 'pf_dc', 14, 2)).toBe(true);
    expect(chunksRunLocal('auto', 'opf_ac', 118, 24)).toBe(true); // ~0.4 s
    expect(chunksRunLocal('auto', 'opf_dc', 1354, 6)).toBe(true); // ~0.8 s
    expect(chunksRunLocal('auto', 'pf_ac', 9241, 24)).toBe(false); // ~1.6 s
    expect(chunksRunLocal('auto', 'opf_ac', 1354, 1)).toBe(false); // ~1.1 s
    expect(chunksRunLocal('auto', 'opf_dc', 9241, 1)).toBe(false); // ~1.4 s
  });

  test('the estimate grows with buses (faster for OPF) and linearly with chunk size; the threshold is inclusive', () => {
    expect(estimatedChunkMs('pf_ac', 200, 10)).toBeCloseTo(2 * estimatedChunkMs('pf_ac', 100, 10));
    expect(estimatedChunkMs('opf_ac', 200, 10)).toBeGreaterThan(3 * estimatedChunkMs('opf_ac', 100, 10));
    expect(estimatedChunkMs('pf_ac', 100, 20)).toBeCloseTo(2 * estimatedChunkMs('pf_ac', 100, 10));
    const buses = LOCAL_CHUNK_MS / estimatedChunkMs('pf_dc', 1, 10);
    expect(chunksRunLocal('auto', 'pf_dc', buses, 10)).toBe(true);
    expect(chunksRunLocal('auto', 'pf_dc', buses + 1, 10)).toBe(false);
  });

  test('always / never override; an unknown grid size (a batch started before) keeps regular activities', () => {
    expect(chunksRunLocal('always', 'opf_ac', 9241, 24)).toBe(true);
    expect(chunksRunLocal('never', 'pf_dc', 14, 1)).toBe(false);
    expect(chunksRunLocal('auto', 'pf_dc', undefined, 1)).toBe(false);
  });
});

describe('scenario group sizing', () => {
  const ref = (jobs: number) => ({ index: 0, id: 's', jobs });

  test('a scenario costs its chunks plus its jobs', () => {
    expect(estimatedScenarioMs('pf_dc', 100, 24, 24)).toBeCloseTo(CHUNK_FIXED_MS + 24 * 0.4);
    expect(estimatedScenarioMs('pf_dc', 100, 48, 24)).toBeCloseTo(2 * (CHUNK_FIXED_MS + 24 * 0.4));
    expect(estimatedScenarioMs('pf_ac', 118, 0, 24)).toBeGreaterThan(CHUNK_FIXED_MS); // a scenario without slices is one job
  });

  test('auto groups small scenarios of studies with more than 100 scenarios; always and never override', () => {
    expect(groupableMs('auto', 'pf_dc', 118, GROUP_MIN_SCENARIOS, ref(24), 24)).toBeUndefined();
    expect(groupableMs('auto', 'pf_dc', 118, GROUP_MIN_SCENARIOS + 1, ref(24), 24)).toBeCloseTo(
      estimatedScenarioMs('pf_dc', 118, 24, 24),
    );
    expect(groupableMs(undefined, 'pf_dc', 118, 1000, ref(24), 24)).toBeDefined();
    expect(groupableMs('always', 'pf_dc', 118, 2, ref(24), 24)).toBeDefined();
    expect(groupableMs('never', 'pf_dc', 118, 1000, ref(24), 24)).toBeUndefined();
    expect(groupableMs('always', 'pf_dc', undefined, 1000, ref(24), 24)).toBeUndefined(); // grid size unknown: a batch from before groups
  });

  test('a scenario estimated at the group target or more runs on its own', () => {
    const jobs = Math.ceil(GROUP_TARGET_MS / (0.4 * 1.18));
    expect(groupableMs('always', 'pf_dc', 118, 1000, ref(jobs), jobs)).toBeUndefined();
    expect(groupableMs('always', 'opf_ac', 9241, 1000, ref(1), 1)).toBeUndefined(); // ~28 s per job
  });
});

describe('solve threads of the CLI in-process worker', () => {
  test('one thread per LOCAL_THREAD_MS of estimated solving, between 1 and the threads available', () => {
    // the GAT-format pair: 1,000 one-slice case118 pf_dc jobs, ~0.47 s estimated: one thread
    expect(estimatedChunkMs('pf_dc', 118, 1_000)).toBeLessThan(LOCAL_THREAD_MS);
    expect(localSolveThreads('pf_dc', 118, 1_000, 2)).toBe(1);
    expect(localSolveThreads('pf_dc', 118, 1, 8)).toBe(1);
    expect(localSolveThreads('pf_dc', 118, 0, 8)).toBe(1);
    // 10,008 case118 pf_ac jobs, ~8 s: every thread there is
    expect(localSolveThreads('pf_ac', 118, 10_008, 2)).toBe(2);
    expect(localSolveThreads('pf_ac', 118, 10_008, 64)).toBe(
      Math.ceil(estimatedChunkMs('pf_ac', 118, 10_008) / LOCAL_THREAD_MS),
    );
    // just over one thread's worth: two
    const jobs = Math.floor(LOCAL_THREAD_MS / estimatedChunkMs('pf_dc', 118, 1)) + 1;
    expect(localSolveThreads('pf_dc', 118, jobs - 1, 4)).toBe(1);
    expect(localSolveThreads('pf_dc', 118, jobs, 4)).toBe(2);
  });

  test("warm-up: WARM_UP_MS of estimated jobs, at most WARM_UP_MAX_JOBS and the study's own count, none below a step", () => {
    // the GAT-format pair (case118 pf_dc, ~0.47 ms a job): the full warm-up
    expect(warmUpJobs('pf_dc', 118, 1_000)).toBe(WARM_UP_MAX_JOBS);
    // case118 pf_ac (~0.83 ms a job): as many as fit in WARM_UP_MS
    expect(warmUpJobs('pf_ac', 118, 1_000)).toBe(Math.floor(WARM_UP_MS / estimatedChunkMs('pf_ac', 118, 1)));
    expect(warmUpJobs('pf_ac', 118, 1_000)).toBeLessThan(WARM_UP_MAX_JOBS);
    // never more jobs than the study has; a study smaller than a step (one job) gets none
    expect(warmUpJobs('pf_dc', 118, WARM_UP_STEP_JOBS + 1)).toBe(WARM_UP_STEP_JOBS + 1);
    expect(warmUpJobs('pf_dc', 118, WARM_UP_STEP_JOBS - 1)).toBe(0);
    expect(warmUpJobs('pf_dc', 118, 1)).toBe(0);
    // jobs too long for a step within WARM_UP_MS (OPF, big grids): none
    expect(warmUpJobs('opf_ac', 118, 1_000)).toBe(0);
    expect(warmUpJobs('pf_dc', 9241, 1_000)).toBe(0);
  });
});
