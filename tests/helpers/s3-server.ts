/**
 * A real S3-compatible server for the tests: SeaweedFS's `weed server -s3` (master, volume,
 * filer and S3 gateway in one process), built by scripts/ensure-seaweedfs.cjs into the tools
 * folder. It listens on free loopback ports with its data in a throwaway folder, runs in a
 * process group of its own and is stopped by killing that group (its pid file lets
 * globalTeardown stop one a crashed test file left behind).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ARTIFACTS } from './test-server';

const REPO = resolve(__dirname, '..', '..');

/** The `weed` binary: GRIDBATCH_WEED, the tools folder's build, the project's .tools/bin, or PATH. */
export function weedBinary(): string | undefined {
  const candidates = [
    process.env.GRIDBATCH_WEED,
    process.env.GRIDBATCH_TOOLS_DIR ? join(resolve(process.env.GRIDBATCH_TOOLS_DIR), 'bin', 'weed') : undefined,
    join(REPO, '.tools', 'bin', 'weed'),
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v weed'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

/** Why the S3 test server cannot run here, or undefined when it can (requirements.ts). */
export function weedMissing(): string | undefined {
  const bin = weedBinary();
  if (!bin) return 'no weed binary (GRIDBATCH_WEED, $GRIDBATCH_TOOLS_DIR/bin/weed, .tools/bin/weed or PATH)';
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0
    ? undefined
    : `${bin} version failed: ${(r.stderr || r.error?.message || '').trim().slice(0, 200)}`;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

/** Distinct free ports (a port picked twice is dropped and picked again). */
async function freePorts(n: number): Promise<number[]> {
  const got = new Set<number>();
  while (got.size < n) got.add(await freePort());
  return [...got];
}

export const S3_ACCESS_KEY = 'gridbatch-test';
export const S3_SECRET_KEY = 'gridbatch-test-secret';

export interface S3TestServer {
  endpoint: string;
  /** env of a process that uses the server: endpoint, credentials, region */
  env: Record<string, string>;
  dir: string;
  pid: number;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Pid files `<run>-<pid>` of the process groups a test run started (S3 servers, worker and client processes). */
export const PID_DIR = join(ARTIFACTS, 's3-servers');

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function s3Answers(endpoint: string): Promise<boolean> {
  try {
    const r = await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    return r.status > 0;
  } catch {
    return false;
  }
}

export async function startS3Server(timeoutMs = 90_000): Promise<S3TestServer> {
  const bin = weedBinary();
  if (!bin) throw new Error(weedMissing());
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await freePorts(8);
  const dir = join(ARTIFACTS, `s3-${s3}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = join(dir, 's3.json');
  writeFileSync(
    config,
    JSON.stringify({
      identities: [
        {
          name: 'gridbatch-test',
          credentials: [{ accessKey: S3_ACCESS_KEY, secretKey: S3_SECRET_KEY }],
          actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
        },
      ],
    }),
  );
  const args = [
    'server',
    `-dir=${join(dir, 'data')}`,
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    '-master.volumeSizeLimitMB=64',
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    '-volume.max=16',
    '-filer',
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    '-s3',
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    `-s3.config=${config}`,
    // no fixed ports (Iceberg and Lance catalogs off) and no network beyond loopback (telemetry off)
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    '-master.telemetry=false',
  ];
  const log = openSync(join(dir, 'server.log'), 'a');
  const child: ChildProcess = spawn(bin, args, { detached: true, stdio: ['ignore', log, log], cwd: dir });
  child.unref();
  const pid = child.pid as number;
  mkdirSync(PID_DIR, { recursive: true });
  writeFileSync(join(PID_DIR, `${runId()}-${pid}`), dir);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const endpoint = `http://127.0.0.1:${s3}`;
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: S3_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: S3_SECRET_KEY,
    AWS_REGION: 'us-east-1',
  };
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY },
  });
  const stop = async () => {
    client.destroy();
    killGroup(pid, 'SIGTERM');
    const t0 = Date.now();
    while (alive(pid) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 100));
    killGroup(pid, 'SIGKILL');
    rmSync(join(PID_DIR, `${runId()}-${pid}`), { force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  const createBucket = async (name: string) => {
    // the gateway answers before the filer and volume are ready: retry the first bucket a little
    const t0 = Date.now();
    for (;;) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
        return;
      } catch (e) {
        const n = (e as { name?: string }).name;
        if (n === 'BucketAlreadyOwnedByYou' || n === 'BucketAlreadyExists') return;
        if (Date.now() - t0 > 60_000) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const t0 = Date.now();
  while (!(await s3Answers(endpoint))) {
    if (exited !== null || Date.now() - t0 > timeoutMs) {
      const tail = readFileSync(join(dir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
      await stop();
      throw new Error(
        `SeaweedFS S3 gateway did not come up on ${endpoint} (${exited !== null ? `exit ${exited}` : 'timeout'}):\n${tail}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { endpoint, env, dir, pid, createBucket, stop };
}

/** The jest run a server belongs to (its Temporal test port): teardown stops only its own run's servers. */
export function runId(): string {
  return process.env.GRIDBATCH_TEST_PORT ?? 'none';
}

/** Stops the process groups (S3 servers, isolated workers) this run's test files left running (globalTeardown); another jest run's stay. */
export function stopLeftoverS3Servers(): number {
  if (!existsSync(PID_DIR)) return 0;
  let n = 0;
  for (const f of readdirSync(PID_DIR)) {
    const [owner, p] = f.split('-');
    if (owner !== runId()) continue;
    const pid = Number(p);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      killGroup(pid, 'SIGKILL');
      n++;
    }
    rmSync(join(PID_DIR, f), { force: true });
  }
  return n;
}
