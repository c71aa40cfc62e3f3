/**
 * Atomic file writes: data goes to a temporary name in the same folder and is renamed over
 * the final name, so a reader never sees half a file and a retried write replaces, never
 * duplicates. Temporary names end in `.tmp` so a sweep can find leftovers of a killed process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { namingPath, namingPathAsync } from './output-errors';
import { makeDirs } from './output-location';
import { walkFiles } from './walk-files';

export const TMP_SUFFIX = '.tmp';

/**
 * Rename alone makes a write atomic against a killed process or server, the failures a batch
 * recovers from. fsync (GRIDBATCH_FSYNC=1) adds durability against a power loss of the machine;
 * it is off by default because it cost ~27% of a case118 chunk's time on this VM.
 */
const FSYNC = process.env.GRIDBATCH_FSYNC === '1';

export function tempNameFor(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString('hex')}${TMP_SUFFIX}`;
}

/**
 * Writes `data` to `path` atomically; returns the sha256 of the bytes written. On any failure
 * the temporary file is removed (a full disk leaves nothing half-written) and an error a retry
 * cannot fix (ENOSPC, EACCES, ENOTDIR, ...) becomes an OutputError naming `path`.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  writePiecesAtomic(path, (write) => {
    write(bytes);
  });
  return sha256(bytes);
}

/** Bytes of small pieces gathered before one write (a scenario manifest is two pieces a scenario). */
const STAGE_BYTES = 1 << 16;

/**
 * Writes `path` atomically from pieces produced one at a time, so a large file is never held
 * whole: `pieces` calls `write` for each, which returns the bytes written so far. Small pieces
 * are gathered and written STAGE_BYTES at a time (a 1,000-scenario manifest was 2,000 writes).
 * Same guarantees and errors as writeFileAtomic.
 */
export function writePiecesAtomic(path: string, pieces: (write: (data: Uint8Array | string) => number) => void): void {
  namingPath(path, () => {
    makeDirs(dirname(path));
    const tmp = tempNameFor(path);
    try {
      const fd = openSync(tmp, 'w');
      try {
        const writeAll = (bytes: Uint8Array) => {
          let off = 0;
          while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
        };
        let stage: Buffer | undefined;
        let staged = 0;
        const flush = () => {
          if (stage && staged > 0) writeAll(stage.subarray(0, staged));
          staged = 0;
        };
        let pos = 0;
        pieces((data) => {
          if (typeof data === 'string' && 3 * data.length <= STAGE_BYTES / 4) {
            stage ??= Buffer.allocUnsafe(STAGE_BYTES);
            if (staged + 3 * data.length > STAGE_BYTES) flush();
            const n = stage.write(data, staged, 'utf8');
            staged += n;
            pos += n;
            return pos;
          }
          const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
          if (bytes.length <= STAGE_BYTES / 4) {
            stage ??= Buffer.allocUnsafe(STAGE_BYTES);
            if (staged + bytes.length > STAGE_BYTES) flush();
            stage.set(bytes, staged);
            staged += bytes.length;
          } else {
            flush();
            writeAll(bytes);
          }
          pos += bytes.length;
          return pos;
        });
        flush();
        if (FSYNC) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  });
}

/**
 * For writers that stream to a file of their own (e.g. a workbook): `write` fills the temporary
 * path it is given, which is then renamed to `path`; on any error the temporary file is removed.
 */
export async function writeFileAtomicWith(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await namingPathAsync(path, async () => {
    makeDirs(dirname(path));
    const tmp = tempNameFor(path);
    try {
      await write(tmp);
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  });
}

export function writeJsonAtomic(path: string, value: unknown): string {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Removes temporary files left by killed writers under `root`; returns how many. */
export function sweepTempFiles(root: string): number {
  let n = 0;
  walkFiles(root, (p, e) => {
    if (!e.name.endsWith(TMP_SUFFIX)) return;
    rmSync(p, { force: true });
    n++;
  });
  return n;
}
