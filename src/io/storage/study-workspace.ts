/**
 * Stages run on local files (Parquet writers, DuckDB, the workbook writer), so a study in object
 * storage is worked on in a private local folder per activity: the objects the stage reads are
 * hard-linked in from the worker's study cache (study-cache.ts; downloaded once), the stage runs
 * on the folder as on any output folder, and afterwards every file it wrote is uploaded whole to
 * the same key (a retry overwrites, never adds) and every file it removed is deleted. Nothing is
 * uploaded when the stage fails: its retry starts again from what the bucket holds. Job records
 * go up after the result parts they describe, and batch_manifest.json last of all, so a reader
 * (or a resumed batch) that sees a record or a manifest sees everything before it.
 * For a local output folder this is a plain call: the stage works in the folder itself.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { TMP_SUFFIX } from '../atomic';
import { walkFiles } from '../walk-files';
import { ObjectStore } from './object-store';
import { keyOfPath, pathOfKey, studyCacheDir, syncDown, syncDownOnce } from './study-cache';
import { isS3Url, storeFor } from './study-store';

export interface StudyFiles {
  /** keys or folders ('x/') the stage reads, fetched fresh (they change while the batch runs) */
  read?: string[];
  /** keys or folders that never change after materialize: fetched once per study and process */
  readOnce?: string[];
  /** more text to replace in the text files the stage writes ([local, url]), after the work folder itself */
  rewrites?: [string, string][];
  /** folders ('x/') the stage writes whole: after its upload, keys under them it did not write are removed */
  replace?: string[];
}

/** The folders under which the cache's files of `prefix` are (the file itself for a key). */
function filesUnder(root: string, prefix: string): string[] {
  const p = pathOfKey(root, prefix.replace(/\/$/, ''));
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return [p];
  const out: string[] = [];
  walkFiles(p, (q, e) => {
    if (!e.name.endsWith(TMP_SUFFIX)) out.push(q);
  });
  return out;
}

function linkInto(mirror: string, work: string, prefixes: string[]): Map<string, number> {
  const linked = new Map<string, number>();
  for (const prefix of prefixes) {
    for (const src of filesUnder(mirror, prefix)) {
      const key = keyOfPath(mirror, src);
      const dst = pathOfKey(work, key);
      mkdirSync(dirname(dst), { recursive: true });
      try {
        linkSync(src, dst);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'ENOENT') continue; // removed by a concurrent refresh: the store no longer has it
        if (code === 'EEXIST') continue;
        copyFileSync(src, dst); // another file system (EXDEV) or no hard links
      }
      linked.set(key, statSync(dst).ino);
    }
  }
  return linked;
}

/** Upload order: result parts and other files, then job records, then the manifest table, then its summary. */
function rank(key: string): number {
  if (key === 'batch_manifest.json') return 3;
  if (key === 'batch_manifest.parquet') return 2;
  if (key.startsWith('jobs/') || key.includes('/jobs/')) return 1;
  return 0;
}

const TEXT = new Set(['.json', '.md', '.html', '.csv', '.txt', '.yaml', '.yml']);

async function uploadOne(store: ObjectStore, work: string, key: string, rewrites: [string, string][]): Promise<void> {
  const path = pathOfKey(work, key);
  if (TEXT.has(extname(key)) && statSync(path).size < 256 * 1024 * 1024) {
    const text = readFileSync(path, 'utf8');
    let out = text;
    for (const [from, to] of rewrites) out = out.split(from).join(to);
    if (out !== text) {
      writeFileSync(path, out);
    }
  }
  await store.upload(key, path);
}

/**
 * Test hook of the chaos test (tests/chaos/s3-kill.test.ts): GRIDBATCH_TEST_UPLOAD_PAUSE_MS pauses
 * an upload after the result parts and before their job records, and says so on stderr, so the
 * test can SIGKILL the worker in the middle of an upload. Unset, it costs nothing.
 */
async function testPause(uploaded: number): Promise<void> {
  const ms = Number(process.env.GRIDBATCH_TEST_UPLOAD_PAUSE_MS ?? 0);
  if (!(ms > 0)) return;
  process.stderr.write(`gridbatch: upload paused after ${uploaded} objects (GRIDBATCH_TEST_UPLOAD_PAUSE_MS)\n`);
  await new Promise((r) => setTimeout(r, ms));
}

/** Uploads what the stage wrote, removes what it deleted; returns the keys written. */
export async function pushChanges(
  store: ObjectStore,
  work: string,
  linked: Map<string, number>,
  rewrites: [string, string][],
  signal?: AbortSignal,
): Promise<string[]> {
  const changed: string[] = [];
  for (const p of filesUnder(work, '')) {
    const key = keyOfPath(work, p);
    if (linked.get(key) !== statSync(p).ino) changed.push(key);
  }
  const removed = [...linked.keys()].filter((k) => !existsSync(pathOfKey(work, k)));
  for (let r = 0; r <= 3; r++) {
    const queue = changed.filter((k) => rank(k) === r);
    if (r === 1 && queue.length) await testPause(changed.length - queue.length);
    // a cancelled activity stops before its job records and manifests: what went up without its
    // record is an orphan part, which the manifest stage removes (as on disk)
    if (queue.length) signal?.throwIfAborted();
    const worker = async () => {
      for (let k = queue.shift(); k !== undefined; k = queue.shift()) await uploadOne(store, work, k, rewrites);
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }
  if (removed.length) await store.remove(removed);
  return changed;
}

/** Removes the keys under each folder of `replace` that the stage did not write (a rewritten layout's old parts). */
async function removeStale(store: ObjectStore, work: string, replace: string[]): Promise<void> {
  for (const prefix of replace) {
    const written = new Set(filesUnder(work, prefix).map((p) => keyOfPath(work, p)));
    const stale = (await store.list(prefix)).map((o) => o.key).filter((k) => !written.has(k));
    if (stale.length) await store.remove(stale);
  }
}

/** `value` with every local path of `rewrites` given back as the study's URL (paths in an activity's result). */
function rewriteValue<T>(value: T, rewrites: [string, string][]): T {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  let text = JSON.stringify(value);
  for (const [from, to] of rewrites) text = text.split(from).join(to);
  return JSON.parse(text) as T;
}

/**
 * Runs `stage` on a local folder holding the study's files it reads; for an s3:// study, uploads
 * what it wrote afterwards (see the file comment). Returns the stage's result.
 */
export async function withStudyDir<T>(
  outDir: string,
  files: StudyFiles,
  stage: (dir: string) => Promise<T> | T,
  signal?: AbortSignal,
): Promise<T> {
  if (!isS3Url(outDir)) return stage(outDir);
  return withStoreDir(storeFor(outDir), files, stage, signal);
}

/** withStudyDir on any store (the local-disk one too: tests/io/study-workspace.test.ts). */
export async function withStoreDir<T>(
  store: ObjectStore,
  files: StudyFiles,
  stage: (dir: string) => Promise<T> | T,
  signal?: AbortSignal,
): Promise<T> {
  const base = studyCacheDir(store.url);
  const mirror = join(base, 'mirror');
  await Promise.all((files.readOnce ?? []).map((p) => syncDownOnce(store, mirror, p)));
  for (const p of files.read ?? []) await syncDown(store, mirror, p);
  const work = join(base, 'work', `${process.pid}-${randomBytes(6).toString('hex')}`);
  mkdirSync(work, { recursive: true });
  try {
    const linked = linkInto(mirror, work, [...(files.readOnce ?? []), ...(files.read ?? [])]);
    const result = await stage(work);
    const url = store.url;
    const rewrites: [string, string][] = [[`file://${work}`, url], [work, url], ...(files.rewrites ?? [])];
    signal?.throwIfAborted(); // cancelled while the stage ran: nothing goes up
    await pushChanges(store, work, linked, rewrites, signal);
    await removeStale(store, work, files.replace ?? []);
    return rewriteValue(result, rewrites);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
