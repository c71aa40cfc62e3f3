/**
 * Plumbing of the object-storage tests: gridbatch worker and client processes, each in an empty
 * folder of its own (its working folder, TMPDIR, study cache and workflow bundle cache), so they
 * share no path; they meet only through the Temporal server and the bucket, as on a cluster.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3Store } from '../../src/io/storage/s3-store';
import { PID_DIR, runId } from './s3-server';

export const REPO = resolve(__dirname, '..', '..');
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** Env of a process in its own folder `dir`, talking to Temporal at `address` and the S3 server of `s3Env`. */
export function isolatedEnv(
  dir: string,
  address: string,
  taskQueue: string,
  s3Env: Record<string, string>,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...s3Env,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: 'default',
    GRIDBATCH_TASK_QUEUE: taskQueue,
    TMPDIR: join(dir, 'tmp'),
    GRIDBATCH_BUNDLE_CACHE: join(dir, 'bundle'),
    GRIDBATCH_SOLVE_THREADS: '1',
    ...extra,
  };
  delete env.GRIDBATCH_DEV_CONFIG;
  delete env.GRIDBATCH_STUDY_CACHE;
  delete env.NODE_OPTIONS; // jest's options are not the child's
  return env;
}

export class IsolatedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly logFile: string;

  constructor(
    readonly dir: string,
    script: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    mkdirSync(dir, { recursive: true });
    this.logFile = join(dir, 'process.log');
    const log = openSync(this.logFile, 'a');
    // its own process group: killed by group, whatever it started goes with it
    this.child = spawn(process.execPath, ['--import', TSX, join(REPO, script), ...args], {
      cwd: dir,
      env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    // a pid file, so globalTeardown stops the group should this test file die first
    const pidFile = join(PID_DIR, `${runId()}-${this.child.pid}`);
    mkdirSync(PID_DIR, { recursive: true });
    writeFileSync(pidFile, dir);
    this.exited = new Promise((res) =>
      this.child.once('exit', (code, signal) => {
        rmSync(pidFile, { force: true });
        res(code ?? (signal ? -1 : null));
      }),
    );
  }

  get log(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  async waitForLog(text: string | RegExp, timeoutMs: number): Promise<void> {
    const t0 = Date.now();
    let done = false;
    void this.exited.then(() => {
      done = true;
    });
    while (Date.now() - t0 < timeoutMs) {
      const log = this.log;
      if (typeof text === 'string' ? log.includes(text) : text.test(log)) return;
      if (done)
        throw new Error(`process ${this.child.pid} exited before printing ${String(text)}:\n${log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `process ${this.child.pid} did not print ${String(text)} within ${timeoutMs} ms:\n${this.log.slice(-3000)}`,
    );
  }

  /** Kills the process group with `signal` and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    try {
      process.kill(-(this.child.pid as number), signal);
    } catch {
      // gone already
    }
    await this.exited;
  }

  /** SIGINT (a worker shuts down), SIGKILL of the group after 15 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const t = setTimeout(() => void this.kill('SIGKILL'), 15_000);
    try {
      process.kill(-(this.child.pid as number), 'SIGINT');
    } catch {
      // gone already
    }
    await this.exited;
    clearTimeout(t);
  }
}

export function startWorker(dir: string, env: NodeJS.ProcessEnv): IsolatedProcess {
  return new IsolatedProcess(dir, 'worker.ts', [], env);
}

/** Every object of the study at `url` downloaded into `dest`; returns the keys. */
export async function downloadStudy(url: string, dest: string): Promise<string[]> {
  const store = new S3Store(url);
  const objects = await store.list('');
  for (const o of objects) await store.download(o.key, join(dest, ...o.key.split('/')));
  return objects.map((o) => o.key);
}

/** Unfinished multipart uploads under `prefix` of `bucket`. */
export async function unfinishedUploads(
  endpoint: string,
  env: Record<string, string>,
  bucket: string,
  prefix: string,
): Promise<string[]> {
  const c = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  try {
    const r = await c.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
    return (r.Uploads ?? []).map((u) => `${u.Key} (${u.UploadId})`);
  } finally {
    c.destroy();
  }
}

/**
 * Runs `client.ts args` in an empty folder `dir` of its own against the test server at
 * `address`, its process recorded in `procs` (killed by the caller's afterAll); SIGKILL after
 * `timeoutMs`. Returns the exit code and the log.
 */
export async function runIsolatedClient(
  dir: string,
  args: string[],
  address: string,
  taskQueue: string,
  s3Env: Record<string, string>,
  procs: IsolatedProcess[],
  timeoutMs = 480_000,
): Promise<{ code: number | null; log: string }> {
  const p = new IsolatedProcess(dir, 'client.ts', args, isolatedEnv(dir, address, taskQueue, s3Env));
  procs.push(p);
  const t = setTimeout(() => void p.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(t);
  return { code, log: p.log };
}
