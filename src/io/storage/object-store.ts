/**
 * One storage interface for a study's files, keyed by `/`-separated paths relative to the
 * study's root. Two implementations: local disk (local-store.ts) and S3-compatible object storage
 * (s3-store.ts). Every write is whole or nothing: a rename on disk, a single PUT or a completed
 * multipart upload (aborted on failure) in a bucket; writing a key again replaces it.
 */
export interface StoredObject {
  /** path relative to the store's root */
  key: string;
  size: number;
  /** changes whenever the content is replaced (S3 ETag, or size and mtime on disk) */
  etag: string;
}

export interface ObjectStore {
  /** where the store is, for messages (`s3://bucket/prefix` or a folder) */
  readonly url: string;
  /** Every object whose key starts with `prefix` ('' = all), in key order. */
  list(prefix: string): Promise<StoredObject[]>;
  /** The object at `key`, or undefined when there is none. */
  head(key: string): Promise<StoredObject | undefined>;
  /** Copies the object at `key` into the local file `dest` (written under a temporary name and renamed). */
  download(key: string, dest: string): Promise<StoredObject>;
  /** Writes the local file `src` as the object `key`, whole or not at all. */
  upload(key: string, src: string): Promise<void>;
  /** Writes `body` as the object `key`, whole or not at all. */
  put(key: string, body: Uint8Array | string): Promise<void>;
  /** The content of `key`, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes the objects (missing ones are no error). */
  remove(keys: string[]): Promise<void>;
  /** Removes what killed writers left under `prefix` (unfinished multipart uploads, temporary files); returns how many. */
  sweepUnfinished(prefix: string): Promise<number>;
}
