/** Every file below a folder, depth first; folders that are missing or unreadable are skipped. */
import { Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function walkFiles(root: string, visit: (path: string, entry: Dirent) => void): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(root, e.name);
    if (e.isDirectory()) walkFiles(p, visit);
    else visit(p, e);
  }
}
