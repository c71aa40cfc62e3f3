/**
 * The local Temporal dev server (`temporal server start-dev`), started with the settings of
 * temporal-dev.yml: SQLite file persistence, Web UI, namespace and search attributes.
 * It runs detached, so batches outlive the command that started them; `dev-server stop` ends it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { DevConfig, readDevConfig, REPO_ROOT } from './config';
import { findDevServerProcess } from './dev-server-process';

export const TOOLS_BIN = join(REPO_ROOT, '.tools', 'bin');

/** The Temporal CLI: $GRIDBATCH_TEMPORAL_CLI, the project's build in .tools/bin, or `temporal` on PATH. */
export function temporalBinary(): string {
  const env = process.env.GRIDBATCH_TEMPORAL_CLI;
  if (env) return env;
  const local = join(TOOLS_BIN, 'temporal');
  if (existsSync(local)) return local;
  const which = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(
    `Temporal CLI not found: run 'npm run build:temporal' (builds it into ${TOOLS_BIN}), or set TEMPORAL_ADDRESS to use a running cluster`,
  );
}

function pidFile(cfg: DevConfig): string {
  return join(dirname(cfg.db_file), 'server.pid');
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      res(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export function devServerArgs(cfg: DevConfig): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    cfg.ip,
    '--port',
    String(cfg.port),
    '--ui-port',
    String(cfg.ui_port),
    '--db-filename',
    cfg.db_file,
    '--namespace',
    cfg.namespace,
    '--log-level',
    cfg.log_level,
  ];
  for (const [name, type] of Object.entries(cfg.search_attributes)) args.push('--search-attribute', `${name}=${type}`);
  for (const [k, v] of Object.entries(cfg.dynamic_config))
    args.push('--dynamic-config-value', `${k}=${JSON.stringify(v)}`);
  for (const [k, v] of Object.entries(cfg.sqlite_pragmas)) args.push('--sqlite-pragma', `${k}=${v}`);
  return args;
}

export interface DevServerStatus {
  running: boolean;
  pid?: number;
  address: string;
  uiUrl: string;
  dbFile: string;
}

export async function devServerStatus(cfg: DevConfig = readDevConfig()): Promise<DevServerStatus> {
  const running = await portOpen(cfg.ip, cfg.port);
  const proc = running ? findDevServerProcess(pidFile(cfg), cfg.port) : undefined;
  return {
    running,
    pid: proc?.pid,
    address: `${cfg.ip}:${cfg.port}`,
    uiUrl: `http://${cfg.ip}:${cfg.ui_port}`,
    dbFile: cfg.db_file,
  };
}

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  logFile?: string,
): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail =
    logFile && existsSync(logFile)
      ? `\n--- ${logFile} (last lines) ---\n${readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}`
      : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${tail}`);
}

/** Starts the dev server unless one already answers on the configured port. */
export async function ensureDevServer(cfg: DevConfig = readDevConfig(), timeoutMs = 60_000): Promise<DevServerStatus> {
  const st = await devServerStatus(cfg);
  if (st.running) return st;
  mkdirSync(dirname(cfg.db_file), { recursive: true });
  mkdirSync(dirname(cfg.log_file), { recursive: true });
  const log = openSync(cfg.log_file, 'a');
  const child = spawn(temporalBinary(), devServerArgs(cfg), { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(pidFile(cfg), String(child.pid));
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  await waitFor(
    async () => {
      if (exited !== null) throw new Error(`temporal server exited with code ${exited}; see ${cfg.log_file}`);
      return portOpen(cfg.ip, cfg.port);
    },
    timeoutMs,
    `the Temporal dev server on ${cfg.ip}:${cfg.port}`,
    cfg.log_file,
  );
  return devServerStatus(cfg);
}

/** Stops the dev server of this config (found by its pid file or a process check on its port). */
export async function stopDevServer(cfg: DevConfig = readDevConfig(), timeoutMs = 20_000): Promise<boolean> {
  const pf = pidFile(cfg);
  // by the pid file, else by a process check: a server started by another command is found too
  const proc = findDevServerProcess(pf, cfg.port);
  if (!proc) {
    rmSync(pf, { force: true });
    return false;
  }
  const pid = proc.pid;
  try {
    signalProcessGroup(pid, 'SIGTERM');
  } catch {
    rmSync(pf, { force: true });
    return false;
  }
  await waitFor(
    async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    timeoutMs,
    `temporal server (pid ${pid}) to exit`,
  ).catch(() => signalProcessGroup(pid, 'SIGKILL'));
  rmSync(pf, { force: true });
  return true;
}

/**
 * Signals the server's process group (`startDevServer` spawns it detached, so its pid leads a
 * group); a server started some other way that leads no group gets the signal itself.
 */
function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    process.kill(pid, signal);
  }
}
