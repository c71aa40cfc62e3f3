/**
 * Inputs in object storage: `--spec s3://bucket/path/study.yaml` (or a folder of specs ending in
 * '/'). The spec, the specs it `extends`, its grid_file and its profile file are downloaded into
 * the local cache (<cache>/inputs/<bucket>/<key>, so relative references work as on disk) and
 * loaded from there. Paths the run records under that folder are written back as s3:// URLs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { parse } from 'yaml';
import { InputError } from '../../errors';
import { s3Store } from './study-store';
import { cacheRoot, pathOfKey } from './study-cache';
import { isS3Url, parseS3Url } from './s3-url';

export interface FetchedInputs {
  /** the local copy of the spec (file or folder) */
  specPath: string;
  /** [local folder, s3://bucket]: the rewrite that turns local copies back into URLs */
  rewrite: [string, string];
}

const SPEC_EXT = /\.(ya?ml|json)$/i;

function references(file: string): { extends?: string; files: string[] } {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    return { files: [] }; // the spec loader reports the syntax error with its line
  }
  const d = (doc ?? {}) as { extends?: unknown; grid_file?: unknown; profiles?: { file?: unknown } | null };
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' && v && !isAbsolute(v) && !isS3Url(v) ? v : undefined;
  const files = [str(d.grid_file), str(d.profiles?.file)].filter((x): x is string => Boolean(x));
  return { extends: str(d.extends), files };
}

export async function fetchSpecInputs(url: string): Promise<FetchedInputs> {
  const { bucket, key } = parseS3Url(url);
  const store = s3Store(`s3://${bucket}`);
  const root = join(cacheRoot(), 'inputs', bucket);
  const seen = new Set<string>();
  const fetchKey = async (k: string, required: boolean): Promise<string | undefined> => {
    const local = pathOfKey(root, k);
    if (seen.has(k)) return local;
    seen.add(k);
    if (!(await store.head(k))) {
      if (required) throw new InputError('spec file not found in the bucket', { file: `s3://${bucket}/${k}` });
      return undefined; // the spec loader names the missing grid or profile with the spec's line
    }
    await store.download(k, local);
    return local;
  };
  const fetchSpec = async (k: string, required: boolean): Promise<void> => {
    const local = await fetchKey(k, required);
    if (!local || !existsSync(local)) return;
    const refs = references(local);
    const dir = posix.dirname(k);
    for (const f of refs.files) await fetchKey(posix.normalize(posix.join(dir, f)), false);
    if (refs.extends) await fetchSpec(posix.normalize(posix.join(dir, refs.extends)), false);
  };
  const folder = url.endsWith('/') || !(await store.head(key));
  if (folder) {
    const specs = (await store.list(`${key}/`)).filter(
      (o) => !o.key.slice(key.length + 1).includes('/') && SPEC_EXT.test(o.key),
    );
    if (specs.length === 0)
      throw new InputError(
        'spec not found in the bucket (no such object, nor a folder of *.yaml / *.yml / *.json specs)',
        { file: url },
      );
    for (const o of specs) await fetchSpec(o.key, true);
  } else {
    await fetchSpec(key, true);
  }
  return { specPath: pathOfKey(root, key), rewrite: [root, `s3://${bucket}`] };
}
