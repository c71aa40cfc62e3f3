/**
 * bin/compile-cache.cjs, the V8 code cache of the CLI's modules: a second process compiles from
 * the cache, a module edited since (same length, other content) is compiled afresh and runs its
 * new code, a solve thread's variant is written by its flush, and an unreadable cache file is
 * ignored, never trusted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CACHE_MODULE = resolve(__dirname, '..', '..', 'bin', 'compile-cache.cjs');

describe('compile cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-compile-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cacheFile = join(dir, 'cache.bin');
  const mod = join(dir, 'answer.js');
  const main = join(dir, 'main.cjs');
  writeFileSync(
    main,
    [
      `const cc = require(${JSON.stringify(CACHE_MODULE)});`,
      `cc.installCompileCache(${JSON.stringify(dir)});`,
      `const answer = require(${JSON.stringify(mod)});`,
      // require.resolve and __dirname inside a cached module work as in an ordinary one
      'console.log(JSON.stringify({ value: answer.value(), dir: answer.dir, self: answer.self, stats: cc.compileCacheStats() }));',
    ].join('\n'),
  );
  const run = () => {
    const r = spawnSync(process.execPath, [main], {
      encoding: 'utf8',
      env: { ...process.env, GRIDBATCH_COMPILE_CACHE: cacheFile },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as {
      value: number;
      dir: string;
      self: string;
      stats: { hits: number; misses: number };
    };
  };
  const source = (v: number) =>
    `exports.value = () => ${v}; exports.dir = __dirname; exports.self = require.resolve('./answer');\n`;

  test('a second process compiles from the cache; an edited module runs its new code', () => {
    writeFileSync(mod, source(41));
    const first = run();
    expect(first).toEqual({ value: 41, dir, self: mod, stats: { hits: 0, misses: 1 } });
    expect(existsSync(cacheFile)).toBe(true);
    expect(run()).toEqual({ value: 41, dir, self: mod, stats: { hits: 1, misses: 0 } });
    writeFileSync(mod, source(42)); // same length, other content
    expect(run()).toEqual({ value: 42, dir, self: mod, stats: { hits: 0, misses: 1 } });
    expect(run().stats).toEqual({ hits: 1, misses: 0 });
  });

  test("a thread's variant is written by its flush, beside the main thread's file", () => {
    const threadMain = join(dir, 'thread-main.cjs');
    writeFileSync(
      threadMain,
      [
        `const cc = require(${JSON.stringify(CACHE_MODULE)});`,
        `const cache = cc.installCompileCache(${JSON.stringify(dir)}, 'thread');`,
        `const answer = require(${JSON.stringify(mod)});`,
        'cache.flush();',
        'console.log(JSON.stringify({ value: answer.value(), stats: cc.compileCacheStats() }));',
      ].join('\n'),
    );
    writeFileSync(mod, source(5));
    const once = () =>
      JSON.parse(
        spawnSync(process.execPath, [threadMain], {
          encoding: 'utf8',
          env: { ...process.env, GRIDBATCH_COMPILE_CACHE: cacheFile },
        }).stdout,
      ) as { value: number; stats: { hits: number; misses: number } };
    rmSync(`${cacheFile}.thread`, { force: true });
    expect(once()).toEqual({ value: 5, stats: { hits: 0, misses: 1 } });
    expect(existsSync(`${cacheFile}.thread`)).toBe(true);
    expect(once()).toEqual({ value: 5, stats: { hits: 1, misses: 0 } });
  });

  test('an unreadable cache file is ignored and replaced', () => {
    writeFileSync(mod, source(7));
    writeFileSync(cacheFile, 'not a cache');
    expect(run()).toEqual({ value: 7, dir, self: mod, stats: { hits: 0, misses: 1 } });
    expect(run().stats).toEqual({ hits: 1, misses: 0 });
  });
});
