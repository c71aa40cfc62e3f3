/**
 * Replay: fetch the histories of finished workflows and replay them against the current
 * workflow code. A non-deterministic change fails here. The histories are also saved under
 * tests/artifacts/histories (and can be committed under tests/fixtures/histories).
 */
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowsPath } from '../../src/temporal/worker';
import { ARTIFACTS } from './test-server';

export async function replayAll(client: Client, workflowIds: string[], label: string): Promise<string[]> {
  const dir = join(ARTIFACTS, 'histories', label);
  mkdirSync(dir, { recursive: true });
  const histories = [];
  const types: string[] = [];
  for (const id of workflowIds) {
    const h = client.workflow.getHandle(id);
    const d = await h.describe();
    types.push(d.type);
    const history = await h.fetchHistory();
    writeFileSync(join(dir, `${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`), JSON.stringify(history));
    histories.push({ workflowId: id, history });
  }
  const results = Worker.runReplayHistories({ workflowsPath: workflowsPath(), replayName: label }, histories);
  for await (const r of results) {
    if (r.error) throw new Error(`replay of ${r.workflowId} failed: ${r.error.message}`);
  }
  return types;
}
