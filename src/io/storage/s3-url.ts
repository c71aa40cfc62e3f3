/**
 * `s3://bucket/prefix` locations: a study's output (`--out`) or an input file (`--spec`, a case,
 * a profile) in S3-compatible object storage. Plain paths are local files.
 */
import { InputError } from '../../errors';

export interface S3Location {
  bucket: string;
  /** key prefix without leading or trailing slash ('' for the bucket's root) */
  key: string;
}

export function isS3Url(s: string | undefined): s is string {
  return typeof s === 'string' && /^s3:\/\//i.test(s);
}

/** Parses `s3://bucket/some/key` (a bad one is an InputError naming it). */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/*(.*)$/i.exec(url);
  if (!m || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1])) {
    throw new InputError(
      'not an s3:// location (expected s3://<bucket>/<prefix>, a lowercase bucket name of 3-63 characters)',
      { file: url },
    );
  }
  const key = m[2].replace(/\/+$/, '');
  if (key.split('/').some((p) => p === '..' || p === '.'))
    throw new InputError("an s3:// key may not contain '.' or '..' parts", { file: url });
  return { bucket: m[1], key };
}

export function s3Url(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`.replace(/\/+$/, '');
}

/** `url` joined with a relative path (`/`-separated), e.g. studyPath('s3://b/study', 'results/pf_ac'). */
export function joinUrl(url: string, ...rel: string[]): string {
  return [url.replace(/\/+$/, ''), ...rel.map((r) => r.replace(/^\/+|\/+$/g, '')).filter(Boolean)].join('/');
}

/** The key of `rel` under a prefix ('' prefix: rel itself). */
export function keyUnder(prefix: string, rel: string): string {
  return prefix ? `${prefix}/${rel}` : rel;
}
