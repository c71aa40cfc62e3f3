/**
 * bin/dist-state.cjs's list of the build's source files (what the source hash and the stat
 * signature cover): every file under src/ at any depth whose name ends in .ts, .js, .mjs, .cjs or
 * .json, plus client.ts and worker.ts, as sorted `/` paths; never a folder, whatever its name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sourceFiles } = require('../../bin/dist-state.cjs') as { sourceFiles(root?: string): string[] };

describe('dist-state source files', () => {
  const root = mkdtempSync(join(tmpdir(), 'gb-dist-state-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('lists the source files at every depth, sorted, and no folder', () => {
    const files = [
      'client.ts',
      'worker.ts',
      'src/a.ts',
      'src/b/c.js',
      'src/b/d/e.json',
      'src/b/d/f.mjs',
      'src/b/d/g/h.cjs',
      'src/z.ts',
    ];
    const others = ['src/readme.md', 'src/b/notes.txt', 'src/b/d/x.ts.bak', 'other/i.ts'];
    for (const f of [...files, ...others]) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), f);
    }
    mkdirSync(join(root, 'src', 'folder.json', 'inner'), { recursive: true });
    writeFileSync(join(root, 'src', 'folder.json', 'inner', 'j.ts'), 'j');
    expect(sourceFiles(root)).toEqual([...files, 'src/folder.json/inner/j.ts'].sort());
    expect(sourceFiles(`${root}/`)).toEqual(sourceFiles(root));
  });

  test('the repository: src/ has files below its first level', () => {
    const list = sourceFiles();
    expect(list).toContain('client.ts');
    expect(list).toContain('src/cli/start-batch.ts');
    expect(list.filter((f) => f.split('/').length > 3).length).toBeGreaterThan(0);
  });
});
