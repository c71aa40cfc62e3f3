/**
 * Errors a user can cause (bad spec, bad case file, unknown ids, unsafe ids, NaN).
 * They carry the file and the line or key so the CLI can print one clear message
 * and exit with code 2, and so activities can fail non-retryably.
 */
export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;

  constructor(message: string, where: { file?: string; line?: number; key?: string } = {}) {
    super(formatInputError(message, where));
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.key = where.key;
  }
}

function formatInputError(message: string, where: { file?: string; line?: number; key?: string }): string {
  let loc = where.file ?? '';
  if (where.line !== undefined) loc += `${loc ? ':' : 'line '}${where.line}`;
  if (where.key !== undefined) loc += `${loc ? ' ' : ''}at ${where.key}`;
  return loc ? `${loc}: ${message}` : message;
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError || (e instanceof Error && e.name === 'InputError');
}
