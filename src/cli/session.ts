/**
 * A command's link to Temporal: the remote cluster of TEMPORAL_ADDRESS, or the local dev server
 * of temporal-dev.yml (started when needed), with the search attributes registered.
 */
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { ConnectionSettings, connectionSettings, readDevConfig } from '../temporal/config';
import { connectClient, ensureSearchAttributes, waitForNamespace } from '../temporal/connect';
import { ensureDevServer } from '../temporal/dev-server';
import { handleInterrupts } from './interrupt';

export interface Session {
  settings: ConnectionSettings;
  connection: Connection | NativeConnection;
  client: Client;
  searchAttributes: boolean;
  /** workflows may start eagerly on this process's worker (one native connection for both, local-session.ts) */
  eagerStart?: boolean;
  close(): Promise<void>;
}

export async function openSession(opts: { startServer?: boolean } = {}): Promise<Session> {
  handleInterrupts(); // from here the command waits on the server: Ctrl-C stops its worker, then exits
  const dev = readDevConfig();
  const settings = connectionSettings(dev);
  if (!settings.remote && opts.startServer !== false) {
    const st = await ensureDevServer(dev);
    if (process.stderr.isTTY) process.stderr.write(`Temporal dev server at ${st.address}, Web UI ${st.uiUrl}\n`);
  }
  const { connection, client } = await connectClient(settings);
  await waitForNamespace(connection, settings.namespace);
  const searchAttributes = await ensureSearchAttributes(connection, settings.namespace);
  return { settings, connection, client, searchAttributes, close: () => connection.close() };
}

export function workflowUiUrl(s: ConnectionSettings, workflowId: string): string | undefined {
  if (!s.uiUrl) return undefined;
  return `${s.uiUrl}/namespaces/${encodeURIComponent(s.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
