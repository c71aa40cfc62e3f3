/**
 * Nexus services a gridbatch worker registers (Worker.create({ nexusServices })).
 * GRIDBATCH_NEXUS=off leaves them out, for servers without Nexus.
 */
import type { WorkerOptions } from '@temporalio/worker';
import { gridbatchServiceHandler } from './handler';

export function nexusServices(): NonNullable<WorkerOptions['nexusServices']> {
  const v = process.env.GRIDBATCH_NEXUS?.toLowerCase();
  return v === 'off' || v === '0' || v === 'false' ? [] : [gridbatchServiceHandler];
}

export { gridbatchService, NEXUS_SERVICE_NAME, DEFAULT_NEXUS_ENDPOINT } from './service';
