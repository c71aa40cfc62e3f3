/**
 * `client.ts nexus-endpoint create|show|delete`: the Nexus endpoint (default name `gridbatch`)
 * that routes the `gridbatch` service to the gridbatch workers' namespace and task queue. With
 * the local dev server it starts the server first; with TEMPORAL_ADDRESS it talks to that cluster
 * (Temporal Cloud manages endpoints in its own console / tcld instead).
 */
import { EXIT, UsageError } from './exit';
import { openSession } from './session';
import {
  deleteNexusEndpoint,
  endpointCreateCommand,
  ensureNexusEndpoint,
  getNexusEndpoint,
  NexusEndpointTarget,
} from '../temporal/nexus-endpoint';
import { DEFAULT_NEXUS_ENDPOINT, NEXUS_SERVICE_NAME } from '../nexus/service';

export interface NexusEndpointArgs {
  name?: string;
  namespace?: string;
  taskQueue?: string;
  json?: boolean;
}

export async function nexusEndpointCommand(action: string, a: NexusEndpointArgs): Promise<number> {
  if (!['create', 'show', 'delete'].includes(action))
    throw new UsageError(`nexus-endpoint takes create, show or delete (got '${action}')`);
  if (a.name !== undefined && !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(a.name))
    throw new UsageError(`--name '${a.name}' is not a valid endpoint name (letters, digits, - and _)`);
  const s = await openSession();
  try {
    const t: NexusEndpointTarget = {
      name: a.name ?? DEFAULT_NEXUS_ENDPOINT,
      namespace: a.namespace ?? s.settings.namespace,
      taskQueue: a.taskQueue ?? s.settings.taskQueue,
    };
    const print = (data: object, text: string) => console.log(a.json ? JSON.stringify(data, null, 2) : text);
    if (action === 'show') {
      const have = await getNexusEndpoint(t.name, s.settings);
      if (!have) {
        print(
          { name: t.name, exists: false },
          `no Nexus endpoint '${t.name}' (create it: ${endpointCreateCommand(t)})`,
        );
        return EXIT.JOBS_FAILED;
      }
      print(
        { name: t.name, exists: true, ...have },
        `Nexus endpoint '${t.name}' -> namespace ${have.namespace}, task queue ${have.taskQueue}`,
      );
      return EXIT.OK;
    }
    if (action === 'delete') {
      const r = await deleteNexusEndpoint(t, s.settings);
      print(r, r.action === 'deleted' ? `deleted Nexus endpoint '${t.name}'` : `no Nexus endpoint '${t.name}'`);
      return EXIT.OK;
    }
    const r = await ensureNexusEndpoint(t, s.settings);
    const where = `namespace ${t.namespace}, task queue ${t.taskQueue}`;
    const text =
      r.action === 'exists'
        ? `Nexus endpoint '${t.name}' already targets ${where}`
        : r.action === 'updated'
          ? `Nexus endpoint '${t.name}' now targets ${where} (was namespace ${r.previous?.namespace}, task queue ${r.previous?.taskQueue})`
          : `created Nexus endpoint '${t.name}' -> ${where}`;
    print(
      { ...r, service: NEXUS_SERVICE_NAME, operations: ['runStudy'] },
      `${text}\ncallers: createNexusServiceClient({ endpoint: '${t.name}', service: gridbatchService }) -> executeOperation('runStudy', studyInput)`,
    );
    return EXIT.OK;
  } finally {
    await s.close();
  }
}
