/**
 * The storage interface over S3-compatible object storage, rooted at `s3://bucket/prefix`.
 * Uploads go through lib-storage's Upload: one PUT below the part size, else a multipart upload
 * completed last and aborted on failure, so an object is whole or absent. A killed process can
 * leave an unfinished multipart upload (invisible to readers, never an object); sweepUnfinished
 * aborts those.
 */
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomicWith } from '../atomic';
import { OutputError } from '../output-errors';
import { ObjectStore, StoredObject } from './object-store';
import { s3Client } from './s3-client';
import { keyUnder, parseS3Url, S3Location, s3Url } from './s3-url';

/** Parts of 16 MiB: a 100 GB study's biggest files stay far below S3's 10,000 parts. */
const PART_SIZE = 16 * 1024 * 1024;

/** Errors a retry cannot fix become OutputErrors naming the location (never retried); the rest stay transient. */
function userFixableS3(e: unknown, where: string): unknown {
  const name = (e as { name?: string } | null)?.name ?? '';
  const status = e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined;
  if (name === 'NoSuchBucket') return new OutputError(where, 'no such bucket', 'NoSuchBucket');
  if (name === 'AccessDenied' || status === 403)
    return new OutputError(where, 'access denied (check the bucket credentials)', 'AccessDenied');
  if (name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch')
    return new OutputError(where, `credentials rejected (${name})`, name);
  if (name === 'CredentialsProviderError')
    return new OutputError(
      where,
      'no AWS credentials found (set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE)',
      name,
    );
  return e;
}

function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  const status = e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

export class S3Store implements ObjectStore {
  readonly loc: S3Location;

  constructor(url: string) {
    this.loc = parseS3Url(url);
  }

  get url(): string {
    return s3Url(this.loc);
  }

  private key(rel: string): string {
    return keyUnder(this.loc.key, rel);
  }

  private rel(key: string): string {
    return this.loc.key ? key.slice(this.loc.key.length + 1) : key;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw userFixableS3(e, what);
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const full = this.loc.key ? `${this.loc.key}/${prefix}` : prefix;
    let token: string | undefined;
    do {
      const r = await this.call(this.url, () =>
        s3Client().send(new ListObjectsV2Command({ Bucket: this.loc.bucket, Prefix: full, ContinuationToken: token })),
      );
      for (const o of r.Contents ?? []) {
        if (o.Key && !o.Key.endsWith('/')) out.push({ key: this.rel(o.Key), size: o.Size ?? 0, etag: o.ETag ?? '' });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async head(rel: string): Promise<StoredObject | undefined> {
    try {
      const r = await s3Client().send(new HeadObjectCommand({ Bucket: this.loc.bucket, Key: this.key(rel) }));
      return { key: rel, size: r.ContentLength ?? 0, etag: r.ETag ?? '' };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw userFixableS3(e, `${this.url}/${rel}`);
    }
  }

  async download(rel: string, dest: string): Promise<StoredObject> {
    const where = `${this.url}/${rel}`;
    let got: StoredObject = { key: rel, size: 0, etag: '' };
    await writeFileAtomicWith(dest, async (tmp) => {
      const r = await this.call(where, () =>
        s3Client().send(new GetObjectCommand({ Bucket: this.loc.bucket, Key: this.key(rel) })),
      );
      await pipeline(r.Body as Readable, createWriteStream(tmp));
      got = { key: rel, size: r.ContentLength ?? 0, etag: r.ETag ?? '' };
    });
    return got;
  }

  async upload(rel: string, src: string): Promise<void> {
    const where = `${this.url}/${rel}`;
    await this.call(where, async () => {
      const up = new Upload({
        client: s3Client(),
        params: { Bucket: this.loc.bucket, Key: this.key(rel), Body: createReadStream(src) },
        partSize: PART_SIZE,
        queueSize: 4,
        leavePartsOnError: false, // a failed multipart upload is aborted: no parts stay behind
      });
      await up.done();
    });
  }

  async put(rel: string, body: Uint8Array | string): Promise<void> {
    await this.call(`${this.url}/${rel}`, () =>
      s3Client().send(new PutObjectCommand({ Bucket: this.loc.bucket, Key: this.key(rel), Body: body })),
    );
  }

  async get(rel: string): Promise<Buffer | undefined> {
    try {
      const r = await s3Client().send(new GetObjectCommand({ Bucket: this.loc.bucket, Key: this.key(rel) }));
      return Buffer.from(await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw userFixableS3(e, `${this.url}/${rel}`);
    }
  }

  async remove(rels: string[]): Promise<void> {
    for (let i = 0; i < rels.length; i += 1000) {
      const Objects = rels.slice(i, i + 1000).map((r) => ({ Key: this.key(r) }));
      await this.call(this.url, () =>
        s3Client().send(new DeleteObjectsCommand({ Bucket: this.loc.bucket, Delete: { Objects, Quiet: true } })),
      );
    }
  }

  async sweepUnfinished(prefix: string): Promise<number> {
    const full = this.loc.key ? `${this.loc.key}/${prefix}` : prefix;
    let n = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const r = await this.call(this.url, () =>
        s3Client().send(
          new ListMultipartUploadsCommand({
            Bucket: this.loc.bucket,
            Prefix: full,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        ),
      );
      for (const u of r.Uploads ?? []) {
        await this.call(this.url, () =>
          s3Client().send(
            new AbortMultipartUploadCommand({ Bucket: this.loc.bucket, Key: u.Key, UploadId: u.UploadId }),
          ),
        );
        n++;
      }
      if (!r.IsTruncated) return n;
      keyMarker = r.NextKeyMarker;
      uploadIdMarker = r.NextUploadIdMarker;
    }
  }
}

export { s3Url };
