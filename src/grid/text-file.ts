/**
 * Reading a text file a user gave (case, spec, profile): it must exist, be a regular file, stay
 * under a size limit and be UTF-8. Each failure is an InputError naming the file (and, for bytes
 * that are not UTF-8, the line of the first one), never a raw fs error.
 */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors';

/** Whether `path` names an existing regular file (following symlinks). */
export function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `what` is 'case', 'spec' or 'profile': messages read "case file not found", ... */
export function readTextFile(path: string, what: string, maxBytes: number): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile())
      throw new InputError(`${what} path is not a file${st.isDirectory() ? ' (it is a folder)' : ''}`, { file: path });
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${what} file not found`, { file: path });
  }
  if (size > maxBytes)
    throw new InputError(`${what} file is ${size} bytes, over the limit of ${maxBytes} (${mib(maxBytes)})`, {
      file: path,
    });
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read ${what} file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file: path,
    });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    const b = bytes[at] ?? 0;
    throw new InputError(
      `${what} file is not UTF-8 text: invalid byte 0x${b.toString(16).toUpperCase().padStart(2, '0')} (save the file as UTF-8)`,
      { file: path, line },
    );
  }
}

function mib(n: number): string {
  return `${Math.round((n / (1024 * 1024)) * 100) / 100} MiB`;
}

/** Offset of the first byte that makes `b` invalid UTF-8 (b.length if it is valid). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => k < n && b[k] >= lo && b[k] <= hi;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80,
      hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (!cont(i + 1, lo, hi)) return i;
    for (let k = 2; k <= need; k++) if (!cont(i + k)) return i;
    i += need + 1;
  }
  return n;
}
