/**
 * Settings for the local dev server and for connecting to any Temporal cluster.
 * temporal-dev.yml holds the dev server's; TEMPORAL_* environment variables select a remote one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors';
import { PACKAGE_ROOT } from '../package-root';

/** the package folder (also when running the prebuilt copy in dist/) */
export const REPO_ROOT = PACKAGE_ROOT;

const DevConfigSchema = z.strictObject({
  namespace: z.string().min(1).default('default'),
  ip: z.string().default('127.0.0.1'),
  port: z.number().int().positive().default(7233),
  ui_port: z.number().int().positive().default(8233),
  db_file: z.string().default('.state/temporal/dev.sqlite'),
  log_file: z.string().default('.state/temporal/server.log'),
  log_level: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
  task_queue: z.string().min(1).default('gridbatch'),
  search_attributes: z
    .record(z.string(), z.enum(['Keyword', 'Text', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList']))
    .default({}),
  dynamic_config: z.record(z.string(), z.unknown()).default({}),
  /**
   * SQLite pragmas of the dev server's database. WAL with synchronous=NORMAL commits without an
   * fsync per transaction: still safe when the server process is killed (the failure a batch
   * recovers from), not against a power loss of the machine. With the default (fsync on every
   * commit) the dev server ran ~10 scenario workflows/s on this VM.
   */
  sqlite_pragmas: z.record(z.string(), z.string()).default({ journal_mode: 'wal', synchronous: 'normal' }),
});

export type DevConfig = z.infer<typeof DevConfigSchema>;

export function readDevConfig(
  path = process.env.GRIDBATCH_DEV_CONFIG ?? join(REPO_ROOT, 'temporal-dev.yml'),
): DevConfig {
  if (!existsSync(path)) return DevConfigSchema.parse({});
  const raw: unknown = parse(readFileSync(path, 'utf8'));
  const r = DevConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(i.message, { file: path, key: i.path.join('.') });
  }
  const c = r.data;
  const abs = (p: string) => (isAbsolute(p) ? p : join(REPO_ROOT, p));
  return { ...c, db_file: abs(c.db_file), log_file: abs(c.log_file) };
}

/** How to reach Temporal: a remote cluster when TEMPORAL_ADDRESS is set, else the local dev server. */
export interface ConnectionSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  remote: boolean;
  tls?: { serverName?: string; serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } } | true;
  apiKey?: string;
  uiUrl?: string;
}

export function connectionSettings(dev: DevConfig = readDevConfig()): ConnectionSettings {
  const env = process.env;
  const taskQueue = env.GRIDBATCH_TASK_QUEUE ?? dev.task_queue;
  if (!env.TEMPORAL_ADDRESS) {
    return {
      address: `${dev.ip}:${dev.port}`,
      namespace: dev.namespace,
      taskQueue,
      remote: false,
      uiUrl: `http://${dev.ip}:${dev.ui_port}`,
    };
  }
  const file = (p: string | undefined) => (p ? readFileSync(p) : undefined);
  const crt = file(env.TEMPORAL_TLS_CLIENT_CERT_PATH);
  const key = file(env.TEMPORAL_TLS_CLIENT_KEY_PATH);
  const ca = file(env.TEMPORAL_TLS_SERVER_CA_CERT_PATH);
  if (!!crt !== !!key) {
    throw new InputError('mTLS needs both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH', {
      key: crt ? 'TEMPORAL_TLS_CLIENT_KEY_PATH' : 'TEMPORAL_TLS_CLIENT_CERT_PATH',
    });
  }
  const wantTls =
    env.TEMPORAL_TLS === 'true' || !!crt || !!ca || !!env.TEMPORAL_API_KEY || !!env.TEMPORAL_TLS_SERVER_NAME;
  const tls = wantTls
    ? crt || ca || env.TEMPORAL_TLS_SERVER_NAME
      ? {
          serverName: env.TEMPORAL_TLS_SERVER_NAME,
          serverRootCACertificate: ca,
          clientCertPair: crt && key ? { crt, key } : undefined,
        }
      : (true as const)
    : undefined;
  return {
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    remote: true,
    tls,
    apiKey: env.TEMPORAL_API_KEY,
    uiUrl: env.TEMPORAL_UI_URL,
  };
}
