/**
 * The workflow bundle, built once and cached on disk keyed by a hash of what goes into it (the
 * sources of src/workflows and the versions of the Temporal SDK packages it bundles), so a
 * worker starts in well under a second instead of running webpack on every start (~2-7 s here).
 *
 * Looked up first in dist/ (prebuilt by `npm run build`, scripts/build-dist.cjs), then in the cache
 * folder: GRIDBATCH_BUNDLE_CACHE, else `.state/workflow-bundle/` in the repository.
 * Written under a temporary name and renamed (two workers building at once both end with a
 * whole file). A bundle that cannot be cached (read-only folder) is still returned in memory.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './config';

/** The form of the cached bundle (part of the key): bumped when the bundle is made differently from the same sources. */
const BUNDLE_FORM = 'no-sources-content';

/** Packages whose code is bundled with the workflows (their versions are part of the key). */
const BUNDLED_PACKAGES = ['@temporalio/workflow', '@temporalio/common', '@temporalio/worker', '@temporalio/proto'];

/**
 * The workflows' entry module: the TypeScript source src/workflows/index.ts, also when this runs
 * from the prebuilt dist/ (the bundle's key is a hash of the sources); the module beside this
 * file when the sources are not there.
 */
export function workflowsPath(): string {
  const source = join(REPO_ROOT, 'src', 'workflows', 'index.ts');
  return existsSync(source) ? source : require.resolve('../workflows');
}

/** Where `npm run build` (scripts/build-dist.cjs) puts the prebuilt bundle. */
export function prebuiltBundleDir(): string {
  return join(REPO_ROOT, 'dist');
}

export function bundleCacheDir(): string {
  return process.env.GRIDBATCH_BUNDLE_CACHE ?? join(REPO_ROOT, '.state', 'workflow-bundle');
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Hash of every source file in the entry's folder (sorted by path) and of the bundled packages' versions. */
export function workflowSourceHash(entry = workflowsPath()): string {
  const dir = dirname(entry);
  const h = createHash('sha256');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js|mjs|cjs|json)$/.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  for (const f of files.sort()) h.update(f.slice(dir.length)).update('\0').update(readFileSync(f)).update('\0');
  for (const p of BUNDLED_PACKAGES) h.update(`${p}@${packageVersion(p)}\0`);
  h.update(`node ${process.versions.node.split('.')[0]}\0${BUNDLE_FORM}`);
  return h.digest('hex').slice(0, 24);
}

export interface CachedBundle {
  code: string;
  /** where it is cached (absent when the cache folder is not writable) */
  path?: string;
  /** true when it was read from the cache, false when it was built now */
  hit: boolean;
}

/** The bundle of the workflows at `entry`, from the cache or built now and cached. */
export async function cachedWorkflowBundle(
  entry = workflowsPath(),
  cacheDir = bundleCacheDir(),
): Promise<CachedBundle> {
  const name = `workflows-${workflowSourceHash(entry)}.js`;
  // the prebuilt one serves the default cache (a cache folder of its own, as in tests, is looked up alone)
  const prebuilt = join(prebuiltBundleDir(), name);
  if (cacheDir === bundleCacheDir() && existsSync(prebuilt))
    return { code: readFileSync(prebuilt, 'utf8'), path: prebuilt, hit: true };
  const path = join(cacheDir, name);
  if (existsSync(path)) return { code: readFileSync(path, 'utf8'), path, hit: true };
  const code = withoutSourcesContent((await bundleWorkflowCode({ workflowsPath: entry, logger: quietLogger })).code);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, path);
    pruneOld(cacheDir, path);
    return { code, path, hit: false };
  } catch {
    return { code, hit: false };
  }
}

/**
 * The bundle with its inline source map kept but without the text of the bundled sources
 * (`sourcesContent`, about 650 KB of the 1.8 MB file): stack traces still name the workflow's
 * source file and line (the mappings stay); the text only serves the SDK's enhanced stack trace
 * with `showStackTraceSources`, which gridbatch's workers leave off. Every worker start decodes,
 * re-encodes and compiles the whole file (the SDK's parseWorkflowCode, then its VM): about 20 ms
 * of the main thread's CPU with the text, 5 ms without (one call, this machine). The map is found
 * as the SDK finds it (the last `//# sourceMappingURL=data:` comment, base64 after `base64,`); a
 * bundle without one is returned as it is.
 */
export function withoutSourcesContent(code: string): string {
  const comment = code.lastIndexOf('//# sourceMappingURL=data:');
  const base64 = comment < 0 ? -1 : code.indexOf('base64,', comment);
  if (base64 < 0) return code;
  const start = base64 + 'base64,'.length;
  const map = JSON.parse(Buffer.from(code.slice(start).trimEnd(), 'base64').toString('utf8')) as {
    sourcesContent?: unknown;
  };
  delete map.sourcesContent;
  return `${code.slice(0, start)}${Buffer.from(JSON.stringify(map)).toString('base64')}`;
}

/** Keeps the newest few bundles (other branches and versions may use them), removes the rest. */
function pruneOld(cacheDir: string, keep: string, max = 8): void {
  const files = readdirSync(cacheDir)
    .filter((f) => /^workflows-[0-9a-f]+\.js$/.test(f))
    .map((f) => join(cacheDir, f));
  if (files.length <= max) return;
  const old = files.filter((f) => f !== keep).sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  for (const f of old.slice(0, files.length - max)) rmSync(f, { force: true });
}

/** webpack's progress lines are noise for a CLI; warnings and errors still surface. */
const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
