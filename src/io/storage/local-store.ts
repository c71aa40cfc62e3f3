/**
 * The storage interface over a local folder: keys are paths under `root`, writes are atomic
 * renames (io/atomic.ts), so a reader never sees half a file.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { sweepTempFiles, TMP_SUFFIX, writeFileAtomic, writeFileAtomicWith } from '../atomic';
import { makeDirs } from '../output-location';
import { ObjectStore, StoredObject } from './object-store';
import { walkFiles } from '../walk-files';

function stored(root: string, path: string): StoredObject {
  const st = statSync(path);
  return { key: relative(root, path).split(sep).join('/'), size: st.size, etag: `${st.size}-${st.mtimeMs}-${st.ino}` };
}

export class LocalStore implements ObjectStore {
  constructor(readonly root: string) {}

  get url(): string {
    return this.root;
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    // walk only the folder the prefix names (or its parent, for a partial name)
    const folder = prefix.endsWith('/') || prefix === '' ? prefix : prefix.slice(0, prefix.lastIndexOf('/') + 1);
    walkFiles(this.path(folder), (p, e) => {
      if (!e.isFile() || e.name.endsWith(TMP_SUFFIX)) return;
      const o = stored(this.root, p);
      if (o.key.startsWith(prefix)) out.push(o);
    });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async head(key: string): Promise<StoredObject | undefined> {
    const p = this.path(key);
    return existsSync(p) && statSync(p).isFile() ? stored(this.root, p) : undefined;
  }

  async download(key: string, dest: string): Promise<StoredObject> {
    const src = this.path(key);
    await writeFileAtomicWith(dest, async (tmp) => copyFileSync(src, tmp));
    return stored(this.root, src);
  }

  async upload(key: string, src: string): Promise<void> {
    const dest = this.path(key);
    makeDirs(dirname(dest));
    await writeFileAtomicWith(dest, async (tmp) => copyFileSync(src, tmp));
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    writeFileAtomic(this.path(key), body);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const p = this.path(key);
    return existsSync(p) ? readFileSync(p) : undefined;
  }

  async remove(keys: string[]): Promise<void> {
    for (const k of keys) rmSync(this.path(k), { force: true });
  }

  async sweepUnfinished(prefix: string): Promise<number> {
    return sweepTempFiles(this.path(prefix));
  }
}
