/**
 * The S3 client of a process, configured the standard AWS way: credentials from the default
 * chain (env AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, SSO, instance or
 * container roles), region from AWS_REGION (us-east-1 when unset), endpoint from
 * AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (S3-compatible servers: SeaweedFS, MinIO, Ceph, R2).
 * Path-style addressing (`http://host/bucket/key`) is on when an endpoint is set, as most
 * S3-compatible servers need; GRIDBATCH_S3_PATH_STYLE=1|0 forces it either way.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';

// The SDK warns once per process, on stderr, that its releases after January 2027 need Node 22;
// the version in package-lock.json runs on Node 20 (the product's minimum), so the CLI's stderr stays clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let client: S3Client | undefined;
let clientKey = '';

export interface S3Settings {
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
}

export function s3Settings(env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const ps = env.GRIDBATCH_S3_PATH_STYLE;
  return {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    endpoint,
    forcePathStyle: ps === undefined || ps === '' ? Boolean(endpoint) : ps === '1' || ps.toLowerCase() === 'true',
  };
}

/** One client per settings (a test that changes the endpoint gets a new one). */
export function s3Client(): S3Client {
  const s = s3Settings();
  // credentials from the environment are part of the key: a changed key pair gets a new client
  const secret = createHash('sha256')
    .update(process.env.AWS_SECRET_ACCESS_KEY ?? '')
    .digest('hex'); // never kept in clear
  const key = JSON.stringify({ ...s, id: process.env.AWS_ACCESS_KEY_ID, secret, profile: process.env.AWS_PROFILE });
  if (!client || key !== clientKey) {
    client?.destroy();
    client = new S3Client({
      region: s.region,
      endpoint: s.endpoint,
      forcePathStyle: s.forcePathStyle,
      // checksums only where the API requires them: S3-compatible servers differ in the newer ones
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 5,
    });
    clientKey = key;
  }
  return client;
}
