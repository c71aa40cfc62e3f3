/**
 * Chaos: the same case30 study (pf_ac, opf_dc and pf_dc in scenario groups and buckets, N-1 over branches + seeded load perturbations
 * over hours of a load profile) run twice on a dev server of its own, with worker processes:
 * once undisturbed, once while the worker process is SIGKILLed at random moments and started
 * again, and the dev server is stopped and started once (its SQLite file keeps the histories).
 * The two output folders must hold the same rows (checksums of every table, timing columns
 * aside), a complete manifest, no duplicated row and no temporary file.
 *
 * GRIDBATCH_CHAOS=ci (default, inside `npm test`): ~200 jobs, 3 kills. GRIDBATCH_CHAOS=full
 * (`npm run test:chaos`): ~2,000 jobs, 10 kills (the first during materialize). GRIDBATCH_CHAOS_SEED
 * repeats a kill schedule.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StudyOptions, StudyTask } from '../../src/contracts/workflow-types';
import { ARTIFACTS } from '../helpers/test-server';
import { StudyDigest, studyDigest } from './digest';
import { ChaosServer } from './harness';
import { ChaosPlan, historyFigures, killsWithoutInterruption, runStudies, StudyRun } from './run-studies';

const VARIANT = process.env.GRIDBATCH_CHAOS === 'full' ? 'full' : 'ci';
const FIXTURES = resolve(__dirname, '..', 'fixtures', 'chaos');
const TASKS: StudyTask[] = ['pf_ac', 'opf_dc', 'pf_dc'];

const VARIANTS = {
  ci: {
    spec: join(FIXTURES, 'case30-chaos-ci.yaml'),
    jobsPerTask: 98,
    options: { chunkSize: 1, maxInFlight: 8, pageSize: 10, historyLimit: 150 } satisfies StudyOptions,
    kills: 3,
    serverRestartAfterKill: 2,
    firstKillDuring: undefined as string | undefined,
    timeoutMs: 10 * 60_000,
  },
  full: {
    spec: join(FIXTURES, 'case30-chaos-full.yaml'),
    jobsPerTask: 1027,
    options: { chunkSize: 4, maxInFlight: 16, pageSize: 10, historyLimit: 300 } satisfies StudyOptions,
    kills: 10,
    serverRestartAfterKill: 5,
    // the first kill hits materialize (a bookkeeping activity: retried after its heartbeat timeout)
    firstKillDuring: 'materialize' as string | undefined,
    timeoutMs: 60 * 60_000,
  },
}[VARIANT];

/**
 * Every way solve work runs, under chaos: pf_ac chunks as local activities (auto on case30),
 * opf_dc chunks as regular activities, pf_dc in scenario groups (one activity per group) written
 * in the bucket layout (--partition-by bucket: one file per table for many scenarios).
 */
const PLACEMENT: Partial<Record<StudyTask, StudyOptions>> = {
  opf_dc: { localActivities: 'never' },
  pf_dc: { scenarioGroups: 'always', partitionBy: 'bucket' },
};

const RESULT_TABLE = /^results\/[a-z_]+\/(bus|branch|gen|summary)$/;

/**
 * Files that hold timings, clocks, the batch's own id or its output folder's path, or byte offsets into such a file (solve_ms and
 * duration_ms columns, the manifests, the run record, the features' index and dataset card, the report): compared
 * row by row without the timing columns above. Every other file (result tables, GNN tables, the
 * grid, the inputs) is deterministic and must be byte for byte the undisturbed run's.
 */
const RUN_SPECIFIC =
  /^(batch_manifest\.(json|parquet)|scenario_manifest\.(json|index)|run_record\.json|results\/[a-z_]+\/summary\/.*|jobs\/.*|features\/[a-z]+\/features\.json|features\/(README\.md|croissant\.json)|report\/report\.(html|json|xlsx))$/;

describe(`chaos (${VARIANT}): worker SIGKILLs and a server restart change nothing in the outputs`, () => {
  const stamp = `${VARIANT}-${randomBytes(3).toString('hex')}`;
  const root = join(ARTIFACTS, 'chaos', stamp);
  const seed = Number(process.env.GRIDBATCH_CHAOS_SEED) || Date.now() % 1_000_000;
  let server: ChaosServer;

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    server = await ChaosServer.create(join(root, 'temporal'));
    await server.start();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await server?.stop();
  });

  test(
    'same rows, complete manifest, no duplicate, no temporary file; every history replays',
    async () => {
      const runsOf = (label: string): StudyRun[] =>
        TASKS.map((task) => ({
          batchId: `${label}-${stamp}-${task}`,
          task,
          outDir: join(root, label, task),
          options: PLACEMENT[task],
        }));
      const calmRuns = runsOf('calm');
      const chaosRuns = runsOf('chaos');

      const calm = await runStudies(
        server,
        calmRuns,
        VARIANTS.spec,
        VARIANTS.options,
        join(root, 'logs-calm'),
        undefined,
        VARIANTS.timeoutMs,
      );
      const plan: ChaosPlan = {
        kills: VARIANTS.kills,
        serverRestartAfterKill: VARIANTS.serverRestartAfterKill,
        seed,
        spreadMs: calm.wallMs,
        firstKillDuring: VARIANTS.firstKillDuring,
      };
      const chaos = await runStudies(
        server,
        chaosRuns,
        VARIANTS.spec,
        VARIANTS.options,
        join(root, 'logs-chaos'),
        plan,
        VARIANTS.timeoutMs,
      );
      const client = await server.client();
      const figures = await historyFigures(
        client,
        chaosRuns.map((r) => r.batchId),
      );

      const digests: Record<string, { calm: StudyDigest; chaos: StudyDigest }> = {};
      for (const [i, task] of TASKS.entries()) {
        digests[task] = { calm: await studyDigest(calmRuns[i].outDir), chaos: await studyDigest(chaosRuns[i].outDir) };
      }
      const summary = {
        variant: VARIANT,
        seed,
        spec: VARIANTS.spec,
        options: VARIANTS.options,
        jobs: TASKS.reduce((n, t) => n + chaos.results[t].jobs, 0),
        calm: { wallMs: calm.wallMs, results: calm.results },
        chaos: { ...chaos, results: undefined },
        results: Object.fromEntries(
          TASKS.map((t) => [
            t,
            { jobs: chaos.results[t].jobs, ok: chaos.results[t].ok, failed: chaos.results[t].failed },
          ]),
        ),
        history: figures,
        tables: Object.fromEntries(
          TASKS.map((t) => [
            t,
            Object.fromEntries(
              Object.entries(digests[t].chaos.tables).map(([k, d]) => [k, { rows: d.rows, files: d.files }]),
            ),
          ]),
        ),
      };
      writeFileSync(join(root, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      console.log(
        `chaos ${VARIANT}: ${summary.jobs} jobs, ${chaos.kills} worker SIGKILLs at ${chaos.killTimesMs.map((t) => (t / 1000).toFixed(1)).join(', ')} s, ` +
          `${chaos.serverRestarts} server restart (down ${(chaos.serverDownMs / 1000).toFixed(1)} s), ${chaos.unexpectedWorkerExits} unexpected worker exits; ` +
          `wall ${(calm.wallMs / 1000).toFixed(1)} s undisturbed vs ${(chaos.wallMs / 1000).toFixed(1)} s; ${figures.activityRetries} activity retries, ` +
          `${figures.workflowTaskTimeouts} workflow task timeouts, ${figures.workflowTaskFailures} workflow task failures, ${figures.batchRuns} studyBatch runs, ` +
          `${figures.localSolveMarkers} chunks as local activities, ${figures.solveActivities} as regular activities, ${figures.groupActivities} scenario-group activities; ` +
          `${figures.replayed} of ${figures.workflowRuns} workflow runs replayed; ` +
          `seed ${seed}; details in ${join(root, 'summary.json')}`,
      );

      // the disturbances happened, and each kill cut off work in flight that the histories show
      // redone (an activity attempt retried, or a workflow task that timed out)
      expect(chaos.kills).toBe(VARIANTS.kills);
      expect(chaos.serverRestarts).toBe(1);
      expect(
        killsWithoutInterruption(chaos.killAtMs, figures.interruptions).map(
          (k) => `kill at ${new Date(k).toISOString()}`,
        ),
      ).toEqual([]);
      // every run of every workflow was replayed, and nothing in the histories breaks determinism
      expect(figures.workflowRuns).toBeGreaterThan(0);
      expect(figures.replayed).toBe(figures.workflowRuns);
      expect(figures.replayErrors).toEqual([]);
      expect(figures.localSolveMarkers).toBeGreaterThan(0);
      expect(figures.solveActivities).toBeGreaterThan(0);
      expect(figures.groupActivities).toBeGreaterThan(0);

      for (const task of TASKS) {
        const { calm: a, chaos: b } = digests[task];
        expect(chaos.results[task]).toMatchObject({
          jobs: VARIANTS.jobsPerTask,
          ok: calm.results[task].ok,
          failed: calm.results[task].failed,
        });
        // the manifest is complete: every job once, none skipped, each output's sha256 the file's
        expect(b.jobs).toHaveLength(VARIANTS.jobsPerTask);
        expect(new Set(b.jobs.map((j) => j.job_id)).size).toBe(VARIANTS.jobsPerTask);
        expect(b.stats.skipped).toBe(0);
        expect(b.shaMismatches).toEqual([]);
        expect(a.shaMismatches).toEqual([]);
        expect(b.jobs).toEqual(a.jobs);
        expect(b.stats).toEqual(a.stats);
        // no temporary file, no stray file: the same files as the undisturbed run
        expect(b.tmpFiles).toEqual([]);
        expect(b.files).toEqual(a.files);
        // deterministic files: byte for byte
        const differing = b.files.filter((f) => !RUN_SPECIFIC.test(f) && b.bytes[f] !== a.bytes[f]);
        expect(differing).toEqual([]);
        expect(b.files.filter((f) => !RUN_SPECIFIC.test(f)).length).toBeGreaterThan(b.files.length / 2);
        // the same rows in every table, no row twice
        expect(Object.keys(b.tables)).toEqual(Object.keys(a.tables));
        for (const [k, d] of Object.entries(b.tables)) {
          expect({ table: k, ...d }).toEqual({ table: k, ...a.tables[k] });
          if (RESULT_TABLE.test(k))
            expect({ table: k, duplicates: d.rows - d.distinctRows }).toEqual({ table: k, duplicates: 0 });
        }
        expect(b.tables[`results/${task}/summary`].rows).toBe(VARIANTS.jobsPerTask);
      }

      // keep the summary and the logs; the result folders are large
      if (VARIANT === 'full')
        for (const r of [...calmRuns, ...chaosRuns]) rmSync(r.outDir, { recursive: true, force: true });
    },
    VARIANTS.timeoutMs * 2 + 120_000,
  );
});
