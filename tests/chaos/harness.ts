/**
 * Chaos plumbing: a Temporal dev server of the chaos test's own (own config file, port and
 * SQLite file, so stopping it disturbs nobody else) and gridbatch workers as real OS processes
 * (`node --import tsx worker.ts`) that the test kills with SIGKILL and starts again.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DevConfig, readDevConfig } from '../../src/temporal/config';
import { ensureSearchAttributes, waitForNamespace } from '../../src/temporal/connect';
import { ensureDevServer, stopDevServer } from '../../src/temporal/dev-server';
import { devConfigYaml, freePortPair } from '../helpers/test-server';

export const REPO = resolve(__dirname, '..', '..');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ChaosServer {
  readonly configFile: string;
  readonly cfg: DevConfig;
  private connection?: Connection;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.configFile = join(dir, 'temporal-chaos.yml');
    writeFileSync(this.configFile, devConfigYaml(dir, port, 'chaos'));
    this.cfg = readDevConfig(this.configFile);
  }

  static async create(dir: string): Promise<ChaosServer> {
    return new ChaosServer(dir, await freePortPair());
  }

  get address(): string {
    return `${this.cfg.ip}:${this.cfg.port}`;
  }

  /** Starts the server (or finds it running) and waits until its namespace answers. */
  async start(): Promise<void> {
    await ensureDevServer(this.cfg, 90_000);
    const c = await Connection.connect({ address: this.address });
    try {
      await waitForNamespace(c, this.cfg.namespace, 90_000);
      await ensureSearchAttributes(c, this.cfg.namespace);
    } finally {
      await c.close();
    }
  }

  /** Stops the server process (SIGTERM, SIGKILL after 20 s); its SQLite file stays. */
  async stop(): Promise<void> {
    await stopDevServer(this.cfg);
  }

  /** A client whose connection reconnects by itself after a server restart. */
  async client(): Promise<Client> {
    if (!this.connection) this.connection = await Connection.connect({ address: this.address });
    return new Client({ connection: this.connection, namespace: this.cfg.namespace });
  }

  async close(): Promise<void> {
    await this.connection?.close();
    this.connection = undefined;
  }
}

/** One `node --import tsx worker.ts` process on the chaos server's task queue. */
export class WorkerProcess {
  readonly child: ChildProcess;
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;
  killedByUs = false;

  constructor(
    server: ChaosServer,
    readonly taskQueue: string,
    readonly logFile: string,
  ) {
    const log = openSync(logFile, 'a');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GRIDBATCH_DEV_CONFIG: server.configFile,
      GRIDBATCH_TASK_QUEUE: taskQueue,
      GRIDBATCH_SOLVE_THREADS: process.env.GRIDBATCH_SOLVE_THREADS ?? '1',
    };
    delete env.TEMPORAL_ADDRESS;
    delete env.NODE_OPTIONS; // jest's options are not the worker's
    this.child = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
      cwd: REPO,
      env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.exited = new Promise((res) =>
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        res();
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** Waits until the worker polls (it prints its banner once Worker.create succeeded). */
  async ready(timeoutMs = 120_000): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (!this.alive)
        throw new Error(
          `worker process ${this.pid} exited with ${this.exitCode} before it was ready; see ${this.logFile}`,
        );
      if (readFileSync(this.logFile, 'utf8').includes('gridbatch worker:')) return;
      await sleep(100);
    }
    throw new Error(`worker process ${this.pid} not ready after ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** SIGKILL: no shutdown, no flush, activities and threads die mid-work. */
  async kill(): Promise<void> {
    this.killedByUs = true;
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.killedByUs = true;
    this.child.kill('SIGINT');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(t);
  }

  whenExited(): Promise<void> {
    return this.exited;
  }
}

/**
 * Keeps one worker process running, as a process supervisor would: starts it again when it dies
 * (killed by the test, or exited by itself, which is counted).
 */
export class WorkerSupervisor {
  current?: WorkerProcess;
  starts = 0;
  kills = 0;
  /** exits the test did not cause (e.g. a worker that gave up while the server was down) */
  unexpectedExits = 0;
  private stopped = false;

  constructor(
    private readonly server: ChaosServer,
    private readonly taskQueue: string,
    private readonly logDir: string,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  async start(): Promise<void> {
    this.starts++;
    const w = new WorkerProcess(
      this.server,
      this.taskQueue,
      join(this.logDir, `worker-${String(this.starts).padStart(2, '0')}.log`),
    );
    this.current = w;
    void w.whenExited().then(() => {
      writeFileSync(w.logFile, `\n== worker pid ${w.pid} exited${w.killedByUs ? ' (killed by the test)' : ''}\n`, {
        flag: 'a',
      });
      if (this.stopped || w.killedByUs || this.current !== w) return;
      this.unexpectedExits++;
      void this.start();
    });
    await w.ready();
  }

  /** SIGKILL the running worker, wait `downMs`, start a new one and wait until it polls. */
  async killAndRestart(downMs: number): Promise<void> {
    const w = this.current;
    if (w) await w.kill();
    this.kills++;
    await sleep(downMs);
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.current?.stop();
  }
}
