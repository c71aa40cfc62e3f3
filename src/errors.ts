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
  return oneLine(loc ? `${loc}: ${message}` : message);
}

/**
 * Control characters quoted from a user's file (CR, NUL, ESC, line separators, ...) are written
 * as escapes, so a message is always one printable line.
 */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError || (e instanceof Error && e.name === 'InputError');
}
