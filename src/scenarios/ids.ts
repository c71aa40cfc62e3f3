/**
 * Scenario ids end up in folder names (`scenario_id=<id>/`), workflow ids and manifests, so they
 * must be safe everywhere: letters, digits and `_ - . =`, 1 to 128 characters, not `.`, and no
 * `..` anywhere (no path may escape the output folder).
 */

export const MAX_ID_LENGTH = 128;
const SAFE = /^[A-Za-z0-9_.=-]+$/;

/** Why `id` is not a safe scenario id, or undefined when it is. */
export function unsafeIdReason(id: string): string | undefined {
  if (id.length === 0) return 'it is empty';
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long, over the limit of ${MAX_ID_LENGTH}`;
  if (id.includes('..')) return "it contains '..'";
  if (id.includes('/') || id.includes('\\')) return 'it contains a path separator (/ or \\)';
  if (id === '.') return "'.' is the current folder";
  if (!SAFE.test(id)) {
    const bad = [...new Set([...id].filter((c) => !/[A-Za-z0-9_.=-]/.test(c)))]
      .map((c) => JSON.stringify(c))
      .join(', ');
    return `it contains ${bad}; only letters, digits and _ - . = are allowed`;
  }
  return undefined;
}
