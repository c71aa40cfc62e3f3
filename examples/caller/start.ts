/**
 * Starts a caller workflow that runs a study and prints its verdict:
 *
 *   npx tsx examples/caller/start.ts nexus examples/case14-n1.yaml --task pf_dc --scenarios base,load_110 --out out/caller
 *   npx tsx examples/caller/start.ts child examples/case14-n1.yaml
 *
 * Needs the caller worker (examples/caller/worker.ts), a gridbatch worker (`npx tsx worker.ts`)
 * and, for `nexus`, the endpoint (`npx tsx client.ts nexus-endpoint create`).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { connectionSettings } from '../../src/temporal/config';
import { connectClient } from '../../src/temporal/connect';
import type { StudyInput, StudyTask } from '../../src/contracts/workflow-types';
import { CALLER_TASK_QUEUE } from './worker';
import { CallerInput, CallerResult, studyAsChild, studyViaNexus } from './workflows';

/** Runs one caller workflow to its end. */
export function runCaller(
  client: Client,
  via: 'child' | 'nexus',
  input: CallerInput,
  taskQueue = CALLER_TASK_QUEUE,
): Promise<CallerResult> {
  return client.workflow.execute(via === 'nexus' ? studyViaNexus : studyAsChild, {
    taskQueue,
    workflowId: `caller-${via}-${input.study.batchId}-${randomBytes(3).toString('hex')}`,
    args: [input],
  });
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      task: { type: 'string', default: 'pf_dc' },
      scenarios: { type: 'string' },
      out: { type: 'string' },
      id: { type: 'string' },
      endpoint: { type: 'string' },
    },
  });
  const [via, spec] = positionals;
  if ((via !== 'child' && via !== 'nexus') || !spec)
    throw new Error(
      'usage: start.ts child|nexus SPEC [--task T] [--scenarios a,b] [--out DIR] [--id ID] [--endpoint NAME]',
    );
  const study: StudyInput = {
    batchId: values.id ?? `caller-study-${randomBytes(4).toString('hex')}`,
    specPath: resolve(spec),
    outDir: resolve(values.out ?? 'out/caller'),
    task: values.task as StudyTask,
    options: values.scenarios ? { scenarios: values.scenarios.split(',') } : undefined,
  };
  const s = connectionSettings();
  const { connection, client } = await connectClient(s);
  try {
    const r = await runCaller(client, via, { study, endpoint: values.endpoint, gridbatchTaskQueue: s.taskQueue });
    console.log(r.verdict);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
