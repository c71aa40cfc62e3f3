/**
 * Parsed spec data by content: a large spec is parsed by YAML once, not once by the CLI's
 * validation and again by the materialize activity (and again at every resume). The yaml
 * package parses ~5,000 lines a second here (a 1,000-scenario GAT-format spec: ~0.2 s, twice per
 * study); a cache hit is a hash and a deserialize (~2 ms).
 *
 * The key is the sha256 of the text with the parser's version and options, so a hit is exactly
 * what parsing would give; the value is the parsed data (v8 serialization: NaN, Infinity and
 * -0 survive). Only specs of at least CACHE_MIN_BYTES are cached. Entries are written
 * atomically (src/io/atomic.ts); a folder that cannot be written or read means no cache, never
 * an error. Folder: GRIDBATCH_SPEC_CACHE, else `.state/spec-cache/` in the package.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic } from '../io/atomic';
import { PACKAGE_ROOT } from '../package-root';

/** Smaller specs parse in a few milliseconds: not worth a file. */
export const CACHE_MIN_BYTES = 16 * 1024;
/** At most this many entries are kept (the oldest go first). */
export const CACHE_MAX_ENTRIES = 32;

export function specCacheDir(): string {
  return process.env.GRIDBATCH_SPEC_CACHE ?? join(PACKAGE_ROOT, '.state', 'spec-cache');
}

let yamlVersion: string | undefined;
function parserVersion(): string {
  if (yamlVersion === undefined) {
    try {
      yamlVersion = (JSON.parse(readFileSync(require.resolve('yaml/package.json'), 'utf8')) as { version: string })
        .version;
    } catch {
      yamlVersion = 'unknown';
    }
  }
  return yamlVersion;
}

/** The cache key of a spec's text parsed with `options` (undefined: too small to cache). */
export function specCacheKey(text: string, options: object): string | undefined {
  if (text.length < CACHE_MIN_BYTES) return undefined;
  return createHash('sha256')
    .update(`gridbatch-spec-cache 1\0yaml ${parserVersion()}\0${JSON.stringify(options)}\0`)
    .update(text)
    .digest('hex');
}

const entry = (key: string) => join(specCacheDir(), `${key}.v8`);

/** The data parsed earlier from the same text, or undefined. */
export function cachedSpecData(key: string | undefined): { data: unknown } | undefined {
  if (key === undefined) return undefined;
  try {
    return { data: deserialize(readFileSync(entry(key))) as unknown };
  } catch {
    return undefined;
  }
}

/** Keeps `data` (as parsed from the text of `key`) for the next parse; never throws. */
export function storeSpecData(key: string | undefined, data: unknown): void {
  if (key === undefined) return;
  try {
    mkdirSync(specCacheDir(), { recursive: true });
    writeFileAtomic(entry(key), serialize(data));
    prune();
  } catch {
    // no cache: the next parse parses
  }
}

function prune(): void {
  const dir = specCacheDir();
  const files = readdirSync(dir).filter((f) => f.endsWith('.v8'));
  if (files.length <= CACHE_MAX_ENTRIES) return;
  const byAge = files
    .map((f) => {
      try {
        return { f, t: statSync(join(dir, f)).mtimeMs };
      } catch {
        return { f, t: 0 };
      }
    })
    .sort((a, b) => a.t - b.t);
  for (const { f } of byAge.slice(0, files.length - CACHE_MAX_ENTRIES)) rmSync(join(dir, f), { force: true });
}
