/**
 * A clone works at any path: no tracked file names a folder of the machine it was written on
 * (the checkout, a home folder), not even inside the base64 payloads of the recorded histories.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const MACHINE_PATH = /(^|[\s"'`(=:])\/(work|root|home|Users)\/[A-Za-z0-9._-]+/m;
const SELF = 'tests/ci/no-machine-paths.test.ts';

function tracked(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 })
    .split('\0')
    .filter((f) => f && f !== SELF && f !== 'package-lock.json');
}

test('no tracked file names an absolute path of the machine it was written on', () => {
  const found: string[] = [];
  for (const f of tracked()) {
    const buf = readFileSync(join(ROOT, f));
    if (buf.includes(0)) continue; // binary (images)
    const text = buf.toString('utf8');
    const m = MACHINE_PATH.exec(text);
    if (m) found.push(`${f}: ${m[0].trim()}`);
    if (f.startsWith('tests/fixtures/histories/')) {
      for (const d of text.matchAll(/"data"\s*:\s*"([A-Za-z0-9+/=]+)"/g)) {
        const p = MACHINE_PATH.exec(Buffer.from(d[1], 'base64').toString('utf8'));
        if (p) found.push(`${f} (payload): ${p[0].trim()}`);
      }
    }
  }
  expect(found).toEqual([]);
});
