/**
 * A worker's local copy of the study files it reads from object storage, one folder per study
 * under GRIDBATCH_STUDY_CACHE (default: <tmpdir>/gridbatch-study-cache). Objects are downloaded
 * when their ETag changed since this process last fetched them; prefixes that never change after
 * materialize (the base grid, the input copies, scenario_manifest.json) are fetched once per
 * study and process, however many chunks run here.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { TMP_SUFFIX } from '../atomic';
import { ObjectStore } from './object-store';

export function cacheRoot(): string {
  return process.env.GRIDBATCH_STUDY_CACHE || join(tmpdir(), 'gridbatch-study-cache');
}

/** The cache folder of the study at `url`: a hash, so any URL makes a safe folder name. */
export function studyCacheDir(url: string): string {
  return join(cacheRoot(), studyCacheName(url));
}

export function studyCacheName(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

/** What this process last downloaded: local path -> ETag. */
const fetched = new Map<string, string>();
/** Prefixes fetched once per study (promise, so concurrent activities wait for one download). */
const fetchedOnce = new Map<string, Promise<void>>();

function localFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function pathOfKey(mirror: string, key: string): string {
  return join(mirror, ...key.split('/'));
}

export function keyOfPath(mirror: string, path: string): string {
  return relative(mirror, path).split(sep).join('/');
}

/**
 * Makes `mirror` hold exactly the store's objects under `prefix` (a key or a folder ending in
 * '/'): new or changed objects are downloaded, local files the store no longer has are removed.
 */
export async function syncDown(store: ObjectStore, mirror: string, prefix: string): Promise<void> {
  const objects = await store.list(prefix);
  const exact = prefix.endsWith('/') ? objects : objects.filter((o) => o.key === prefix);
  const keep = new Set<string>();
  const queue = [...exact];
  const worker = async () => {
    for (let o = queue.shift(); o; o = queue.shift()) {
      const p = pathOfKey(mirror, o.key);
      keep.add(p);
      if (fetched.get(p) === o.etag) continue;
      const got = await store.download(o.key, p);
      fetched.set(p, got.etag || o.etag);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (const o of exact) keep.add(pathOfKey(mirror, o.key));
  if (!prefix.endsWith('/') && exact.length === 0) {
    rmSync(pathOfKey(mirror, prefix), { force: true }); // the store no longer has it
    fetched.delete(pathOfKey(mirror, prefix));
  }
  if (prefix.endsWith('/')) {
    for (const p of localFiles(pathOfKey(mirror, prefix))) {
      if (!keep.has(p) && !p.endsWith(TMP_SUFFIX)) {
        rmSync(p, { force: true });
        fetched.delete(p);
      }
    }
  }
}

/** syncDown once per study and process (for what does not change after materialize). */
export function syncDownOnce(store: ObjectStore, mirror: string, prefix: string): Promise<void> {
  const k = `${store.url}\n${prefix}`;
  let p = fetchedOnce.get(k);
  if (!p) {
    p = syncDown(store, mirror, prefix);
    fetchedOnce.set(k, p);
    p.catch(() => fetchedOnce.delete(k));
  }
  return p;
}

/** Forgets what was fetched (a test that reuses a bucket prefix). */
export function forgetFetched(): void {
  fetched.clear();
  fetchedOnce.clear();
}
