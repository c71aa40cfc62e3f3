/**
 * The Nexus endpoint that routes calls of the `gridbatch` service to the gridbatch workers:
 *
 *   temporal operator nexus endpoint create --name gridbatch --target-namespace default --target-task-queue gridbatch
 *
 * run with the project's Temporal CLI (temporalBinary()). Used by `client.ts nexus-endpoint`
 * and the tests. With TEMPORAL_ADDRESS the CLI reads the same TEMPORAL_* variables (TLS, API
 * key) as gridbatch; against the local dev server it ignores them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ConnectionSettings } from './config';
import { temporalBinary } from './dev-server';

const run = promisify(execFile);

export interface NexusEndpointTarget {
  /** endpoint name callers use in createNexusServiceClient({ endpoint }) */
  name: string;
  /** namespace and task queue of the gridbatch workers */
  namespace: string;
  taskQueue: string;
}

export interface NexusEndpointResult extends NexusEndpointTarget {
  action: 'created' | 'exists' | 'updated' | 'deleted' | 'absent';
  /** the endpoint's target before an update */
  previous?: { namespace: string; taskQueue: string };
}

/** The command line that creates the endpoint (for messages and docs). */
export function endpointCreateCommand(t: NexusEndpointTarget): string {
  return `temporal operator nexus endpoint create --name ${t.name} --target-namespace ${t.namespace} --target-task-queue ${t.taskQueue}`;
}

function connectionArgs(s: ConnectionSettings): string[] {
  const args = ['--address', s.address, '--command-timeout', '30s'];
  // local dev server: a developer's TEMPORAL_* settings for another cluster must not apply
  if (!s.remote) args.push('--disable-config-env', '--disable-config-file');
  return args;
}

async function cli(args: string[], s: ConnectionSettings): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const r = await run(temporalBinary(), [...args, ...connectionArgs(s)], { encoding: 'utf8', timeout: 60_000 });
    return { ok: true, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number | string; message: string };
    if (typeof err.code === 'string') throw new Error(`cannot run the Temporal CLI (${err.message})`);
    return { ok: false, stdout: err.stdout ?? '', stderr: err.stderr ?? err.message };
  }
}

function lastError(stderr: string): string {
  const line = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  return line.match(/msg="(.*)"$/)?.[1]?.replace(/\\"/g, '"') ?? line;
}

/** The endpoint's worker target, or undefined when no endpoint has that name. */
export async function getNexusEndpoint(
  name: string,
  s: ConnectionSettings,
): Promise<{ namespace: string; taskQueue: string } | undefined> {
  const r = await cli(['operator', 'nexus', 'endpoint', 'get', '--name', name, '-o', 'json'], s);
  if (!r.ok) {
    if (/not found/i.test(r.stderr)) return undefined;
    throw new Error(`temporal operator nexus endpoint get --name ${name}: ${lastError(r.stderr)}`);
  }
  const e = JSON.parse(r.stdout) as {
    spec?: { target?: { worker?: { namespace?: string; taskQueue?: string }; external?: { url?: string } } };
  };
  const w = e.spec?.target?.worker;
  return {
    namespace: w?.namespace ?? '',
    taskQueue: w?.taskQueue ?? (e.spec?.target?.external?.url ? `external ${e.spec.target.external.url}` : ''),
  };
}

/**
 * Creates the endpoint, or leaves it when it already targets the same namespace and task
 * queue; an endpoint of that name with another target is updated to this one.
 */
export async function ensureNexusEndpoint(t: NexusEndpointTarget, s: ConnectionSettings): Promise<NexusEndpointResult> {
  const target = ['--target-namespace', t.namespace, '--target-task-queue', t.taskQueue];
  const have = await getNexusEndpoint(t.name, s);
  if (have && have.namespace === t.namespace && have.taskQueue === t.taskQueue) return { ...t, action: 'exists' };
  const verb = have ? 'update' : 'create';
  const r = await cli(
    [
      'operator',
      'nexus',
      'endpoint',
      verb,
      '--name',
      t.name,
      ...target,
      '--description',
      'gridbatch studies: service gridbatch, operation runStudy',
    ],
    s,
  );
  if (!r.ok) {
    // created by someone else between the get and the create
    if (verb === 'create' && /already registered|already exists/i.test(r.stderr)) return ensureNexusEndpoint(t, s);
    throw new Error(`${endpointCreateCommand(t)}: ${lastError(r.stderr)}`);
  }
  return have ? { ...t, action: 'updated', previous: have } : { ...t, action: 'created' };
}

export async function deleteNexusEndpoint(t: NexusEndpointTarget, s: ConnectionSettings): Promise<NexusEndpointResult> {
  const have = await getNexusEndpoint(t.name, s);
  if (!have) return { ...t, action: 'absent' };
  const r = await cli(['operator', 'nexus', 'endpoint', 'delete', '--name', t.name], s);
  if (!r.ok) throw new Error(`temporal operator nexus endpoint delete --name ${t.name}: ${lastError(r.stderr)}`);
  return { ...t, namespace: have.namespace, taskQueue: have.taskQueue, action: 'deleted' };
}
