/**
 * The package's folder (the one holding package.json), found from this file's location, so the
 * sources (src/) and their prebuilt copy (dist/src/, scripts/build-dist.cjs) agree on it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findPackageRoot(from: string): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return join(from, '..');
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);
