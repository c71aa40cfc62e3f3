/**
 * Workflow unit tests run on Temporal's Java test server with time skipping
 * (`TestWorkflowEnvironment.createTimeSkipping`): the SDK would download that server from a host
 * this machine cannot reach, so scripts/ensure-test-server.cjs fetches it from Maven Central and
 * writes a launcher the SDK starts as an existing executable. The real workflow code runs
 * (the bundle the worker uses); activities are mocked per test.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { cachedWorkflowBundle } from '../../src/temporal/workflow-bundle';
import { installRuntime } from '../../src/temporal/worker';
import { testServerLauncher } from './java-test-server';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  /** a worker on a task queue of its own with the real workflows and these activities */
  worker(activities: object): Promise<Worker>;
  teardown(): Promise<void>;
}

export async function timeSkipping(): Promise<TimeSkipping> {
  installRuntime('WARN');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerLauncher() } },
  });
  const code = (await cachedWorkflowBundle()).code;
  return {
    env,
    worker: (activities) =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: `unit-${randomBytes(4).toString('hex')}`,
        workflowBundle: { code },
        activities,
      }),
    teardown: () => env.teardown(),
  };
}

/** A unique id for a test's batch (the test server keeps every workflow of the run). */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
