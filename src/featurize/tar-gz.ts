/**
 * A .tar.gz written one member at a time: each file is a ustar entry compressed as its own gzip
 * member (a gzip file may hold several members; gunzip, Python's tarfile and GNU tar read them
 * as one stream). Nothing is held in memory but the current file. The archive is written under
 * a temporary name and renamed by close(), so it appears whole or not at all.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempNameFor } from '../io/atomic';

const BLOCK = 512;

function octal(v: number, width: number): string {
  return v.toString(8).padStart(width - 1, '0') + '\0';
}

/** A ustar header for a regular file (mode 644, mtime 0 so archives are reproducible). */
export function ustarHeader(path: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  let name = path,
    prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', path.length - 1);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
      throw new Error(`path too long for a tar entry: ${path}`);
  }
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

export class TarGzWriter {
  private readonly tmp: string;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempNameFor(path);
    rmSync(this.tmp, { force: true });
  }

  add(entryPath: string, data: Buffer | string): void {
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    appendFileSync(
      this.tmp,
      gzipSync(Buffer.concat([ustarHeader(entryPath, body.length), body, Buffer.alloc(pad, 0)]), { level: 6 }),
    );
  }

  /** Ends the archive (two zero blocks) and renames it into place. */
  close(): void {
    appendFileSync(this.tmp, gzipSync(Buffer.alloc(2 * BLOCK, 0)));
    renameSync(this.tmp, this.path);
  }
}
