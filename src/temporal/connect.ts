/**
 * Connections to Temporal for clients and workers, from ConnectionSettings (dev server or any
 * cluster with TLS / mTLS / API key), plus the search-attribute check the launcher does.
 */
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { ConnectionSettings } from './config';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

export async function connectClient(s: ConnectionSettings): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({
    address: s.address,
    tls: s.tls,
    apiKey: s.apiKey,
    connectTimeout: '10s',
  });
  return { connection, client: new Client({ connection, namespace: s.namespace }) };
}

/** A worker's connection; @temporalio/worker loads here, not with the client commands that never run one. */
export async function connectWorker(s: ConnectionSettings): Promise<NativeConnection> {
  const { NativeConnection } = await import('@temporalio/worker');
  return NativeConnection.connect({ address: s.address, tls: s.tls, apiKey: s.apiKey });
}

const NOT_FOUND = 5;

/**
 * Waits until the namespace answers and the history service owns its shards (a fresh dev
 * server opens its port, then answers "shard status unknown" for a few seconds).
 */
export async function waitForNamespace(
  connection: Pick<Connection | NativeConnection, 'workflowService'>,
  namespace: string,
  timeoutMs = 60_000,
): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      try {
        await connection.workflowService.describeWorkflowExecution({
          namespace,
          execution: { workflowId: '__gridbatch_readiness_probe__' },
        });
      } catch (e) {
        if ((e as { code?: number }).code !== NOT_FOUND) throw e; // NotFound: the history service answered
      }
      return;
    } catch (e) {
      if (Date.now() - t0 > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Registers gridbatch's custom search attributes when missing. Returns whether they are all
 * available (false on servers where this client may not add them: then workflows run without).
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection | NativeConnection, 'operatorService'>,
  namespace: string,
): Promise<boolean> {
  try {
    const have = await connection.operatorService.listSearchAttributes({ namespace });
    const known = { ...(have.customAttributes ?? {}), ...(have.systemAttributes ?? {}) };
    const missing = Object.keys(SEARCH_ATTRIBUTES).filter((k) => !(k in known));
    if (missing.length === 0) return true;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k, KEYWORD])),
    });
    return true;
  } catch {
    return false;
  }
}
