/**
 * I/O errors the user can fix (a file where a folder should be, no permission, a read-only or
 * full disk): one line naming the path and the cause. They are never retried (retrying cannot
 * free a disk or change a permission): activities fail non-retryably with type `OutputError`
 * and the CLI exits 2. Everything else (a killed worker, an unreachable server) stays transient.
 */

/** errno codes a retry cannot fix, with the cause as a user reads it. */
const USER_FIXABLE: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way (a folder is needed there)',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for this file system',
  ENAMETOOLONG: 'path too long',
};

export const OUTPUT_ERROR = 'OutputError';

export class OutputError extends Error {
  readonly path: string;
  readonly code?: string;

  constructor(path: string, cause: string, code?: string) {
    super(`${path}: ${cause}${code ? ` (${code})` : ''}`);
    this.name = OUTPUT_ERROR;
    this.path = path;
    this.code = code;
  }
}

export function isOutputError(e: unknown): e is OutputError {
  return e instanceof OutputError || (e instanceof Error && e.name === OUTPUT_ERROR);
}

function errnoCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** The OutputError for an errno error a retry cannot fix, naming `path`; undefined otherwise. */
export function userFixable(e: unknown, path: string): OutputError | undefined {
  if (isOutputError(e)) return e;
  const code = errnoCode(e);
  if (!code || !(code in USER_FIXABLE)) return undefined;
  return new OutputError((e as { path?: string }).path ?? path, USER_FIXABLE[code], code);
}

/** Runs `fn`; an errno error a retry cannot fix becomes an OutputError naming `path`. */
export function namingPath<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw userFixable(e, path) ?? e;
  }
}

/** Same for async work. */
export async function namingPathAsync<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw userFixable(e, path) ?? e;
  }
}
