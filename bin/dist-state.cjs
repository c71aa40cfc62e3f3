/**
 * Is the prebuilt JavaScript in dist/ (scripts/build-dist.cjs) built from the sources as they are
 * now? One hash over client.ts, worker.ts and every file under src/ (path and content), stored in
 * dist/build-info.json by the build and compared at each start (~250 files, 15-35 ms here):
 * a stale dist/ never runs old code silently. The build also stores a signature of the files'
 * stat (path, size, inode, mtime and ctime in ns) bound to that hash: when it still matches, the
 * files are as built and the start skips the hash (~2 ms); any change (an edit moves ctime,
 * which no tool can set back) falls back to the hash. Plain CommonJS: it runs before any TypeScript.
 */
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join, sep } = require('node:path');

const ROOT = join(__dirname, '..');
const SOURCE_ENTRIES = ['client.ts', 'worker.ts', 'src'];

/** Whether a file name is one of the build's sources. */
const SOURCE_FILE = /\.(ts|js|mjs|cjs|json)$/;

/**
 * Every source file of the build, sorted, as paths relative to `root` with `/` separators: src/
 * listed by one recursive readdir (a walk of readdir calls cost ~8 ms of each start's CPU here).
 */
function sourceFiles(root = ROOT) {
  const files = [];
  for (const entry of SOURCE_ENTRIES) {
    const p = join(root, entry);
    if (!existsSync(p)) continue;
    if (entry !== 'src') {
      files.push(entry);
      continue;
    }
    // each entry's folder is `p` or below it: its path relative to root by string operations (path.relative cost most of it)
    for (const e of readdirSync(p, { withFileTypes: true, recursive: true }))
      if (!e.isDirectory() && SOURCE_FILE.test(e.name)) {
        const dir = (e.parentPath ?? e.path).slice(p.length);
        files.push(`${entry}${sep === '/' ? dir : dir.split(sep).join('/')}/${e.name}`);
      }
  }
  return files.sort();
}

/** sha256 (24 hex digits) of the source files' paths and contents. */
function sourceHash(root = ROOT) {
  const h = createHash('sha256');
  for (const f of sourceFiles(root))
    h.update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0');
  return h.digest('hex').slice(0, 24);
}

/** sha256 of `hash` and every source file's path, size, inode, mtime and ctime (ns): the files as hashed. */
function statSignature(hash, root = ROOT) {
  const h = createHash('sha256').update(hash).update('\0');
  for (const f of sourceFiles(root)) {
    const st = statSync(join(root, f), { bigint: true });
    h.update(`${f}\0${st.size}\0${st.ino}\0${st.mtimeNs}\0${st.ctimeNs}\0`);
  }
  return h.digest('hex').slice(0, 24);
}

/** The dist folder: GRIDBATCH_DIST_DIR (tests), else <package>/dist. */
function distDir(root = ROOT) {
  return process.env.GRIDBATCH_DIST_DIR || join(root, 'dist');
}

/** { fresh: true } or { fresh: false, reason } (one line naming what is wrong and how to fix it). */
function distState(root = ROOT, dir = distDir(root)) {
  const info = join(dir, 'build-info.json');
  if (!existsSync(info)) return { fresh: false, reason: `${info} is missing: run \`npm run build\`` };
  let built;
  let signature;
  try {
    ({ sourceHash: built, statSignature: signature } = JSON.parse(readFileSync(info, 'utf8')));
  } catch {
    return { fresh: false, reason: `${info} is unreadable: run \`npm run build\`` };
  }
  // an installed package without its sources (npm pack of dist only) has nothing to compare against
  if (!existsSync(join(root, 'src'))) return { fresh: true };
  if (typeof built === 'string' && signature !== undefined && signature === statSignature(built, root))
    return { fresh: true };
  const now = sourceHash(root);
  if (built !== now)
    return {
      fresh: false,
      reason: `${dir} is older than the sources (built ${built}, sources ${now}): run \`npm run build\``,
    };
  return { fresh: true };
}

module.exports = { ROOT, sourceFiles, sourceHash, statSignature, distDir, distState };
