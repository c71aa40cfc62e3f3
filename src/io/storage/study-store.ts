/**
 * The store of a study's output location: S3 for `s3://bucket/prefix`, the local folder otherwise.
 */
import { resolve } from 'node:path';
import { LocalStore } from './local-store';
import { ObjectStore } from './object-store';
import { isS3Url, joinUrl } from './s3-url';

/** The S3 store, loaded when first needed: the AWS SDK takes ~0.3 s to load, which local studies never pay. */
export function s3Store(url: string): ObjectStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { S3Store } = require('./s3-store') as typeof import('./s3-store');
  return new S3Store(url);
}

export function storeFor(location: string): ObjectStore {
  return isS3Url(location) ? s3Store(location) : new LocalStore(resolve(location));
}

/** A path or URL under a study's location, for messages and printed paths (`join` would fold `s3://`). */
export function studyPath(outDir: string, ...rel: string[]): string {
  return isS3Url(outDir) ? joinUrl(outDir, ...rel) : resolve(outDir, ...rel);
}

export { isS3Url };
