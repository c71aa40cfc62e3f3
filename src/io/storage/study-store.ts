/**
 * The store of a study's output location: S3 for `s3://bucket/prefix`, the local folder otherwise.
 */
import { resolve } from 'node:path';
import { LocalStore } from './local-store';
import { ObjectStore } from './object-store';
import { S3Store } from './s3-store';
import { isS3Url, joinUrl } from './s3-url';

export function storeFor(location: string): ObjectStore {
  return isS3Url(location) ? new S3Store(location) : new LocalStore(resolve(location));
}

/** A path or URL under a study's location, for messages and printed paths (`join` would fold `s3://`). */
export function studyPath(outDir: string, ...rel: string[]): string {
  return isS3Url(outDir) ? joinUrl(outDir, ...rel) : resolve(outDir, ...rel);
}

export { isS3Url };
