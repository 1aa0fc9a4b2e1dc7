import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { env } from '../../platform/env';
import { AppError } from '../../platform/errors';
import type { TenantTx } from '../../platform/db/tenant';

export type StorageKind = 'postgres' | 's3';
type BlobRef = { organizationId: string; evidenceId: string };

/**
 * Where the bytes of evidence files live. The item (EvidenceItem) records which backend holds its bytes, so files
 * stay readable after the configuration changes; listing evidence never touches the bytes.
 */
export interface EvidenceStore {
  readonly kind: StorageKind;
  /** Stores the bytes; the Postgres store writes in `tx` (so the bytes exist exactly when the item does). */
  put(tx: TenantTx, ref: BlobRef & { bytes: Uint8Array; contentType: string }): Promise<{ storageKey: string | null }>;
  get(tx: TenantTx, ref: BlobRef & { storageKey: string | null }): Promise<Uint8Array>;
  /** Undoes a put whose transaction failed (object storage only; Postgres rolls back by itself). */
  discard(ref: BlobRef & { storageKey: string | null }): Promise<void>;
}

/** The default: bytes in EvidenceBlob, a table apart from the items (RLS like every tenant table). */
export const postgresStore: EvidenceStore = {
  kind: 'postgres',
  async put(tx, { organizationId, evidenceId, bytes }) {
    await tx.evidenceBlob.create({ data: { organizationId, evidenceId, data: new Uint8Array(bytes) } });
    return { storageKey: null };
  },
  async get(tx, { evidenceId }) {
    const blob = await tx.evidenceBlob.findUnique({ where: { evidenceId }, select: { data: true } });
    if (!blob) throw new AppError('not_found', 'The evidence file is missing from storage');
    return blob.data;
  },
  async discard() {},
};

export type S3Location = { bucket: string; prefix: string; region: string; endpoint?: string; forcePathStyle: boolean };

/** `s3://bucket/prefix?region=eu-west-1&endpoint=http://127.0.0.1:9000&forcePathStyle=true` → its parts. */
export function parseStorageUrl(value: string): S3Location {
  const url = new URL(value);
  if (url.protocol !== 's3:' || !url.hostname) throw new AppError('internal', 'EVIDENCE_STORAGE_URL must be s3://bucket[/prefix]');
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  if (endpoint && !/^https?:\/\//.test(endpoint)) throw new AppError('internal', 'EVIDENCE_STORAGE_URL: endpoint must be an http(s) URL');
  return {
    bucket: url.hostname,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    region: url.searchParams.get('region') ?? 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: url.searchParams.get('forcePathStyle') === 'true',
  };
}

/** S3-compatible object storage: one object per file, `<prefix><organizationId>/<evidenceId>`. */
export function s3Store(location: S3Location, client: S3Client = s3Client(location)): EvidenceStore {
  const keyOf = ({ organizationId, evidenceId }: BlobRef) => `${location.prefix}${organizationId}/${evidenceId}`;
  return {
    kind: 's3',
    async put(_tx, ref) {
      const key = keyOf(ref);
      await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: ref.bytes, ContentType: ref.contentType, ContentLength: ref.bytes.byteLength }));
      return { storageKey: key };
    },
    async get(_tx, ref) {
      // The key comes from the (RLS-checked) item and must name that item (a prefix changed since stays readable).
      const key = ref.storageKey ?? keyOf(ref);
      if (!key.endsWith(`${ref.organizationId}/${ref.evidenceId}`)) throw new AppError('internal', 'The evidence file\'s storage key does not match its item');
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
        if (!object.Body) throw new AppError('not_found', 'The evidence file is missing from storage');
        return await object.Body.transformToByteArray();
      } catch (error) {
        if (error instanceof NoSuchKey) throw new AppError('not_found', 'The evidence file is missing from storage');
        throw error;
      }
    },
    async discard(ref) {
      await client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: ref.storageKey ?? keyOf(ref) })).catch(() => undefined);
    },
  };
}

function s3Client(location: S3Location): S3Client {
  return new S3Client({
    region: location.region,
    ...(location.endpoint ? { endpoint: location.endpoint } : {}),
    forcePathStyle: location.forcePathStyle,
    // Checksums only where the service requires them: S3-compatible servers do not all know the newer headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

let cached: { url: string; store: EvidenceStore } | undefined;

/** The store new uploads go to: object storage when EVIDENCE_STORAGE_URL is set, else Postgres. */
export function uploadStore(): EvidenceStore {
  const url = env().EVIDENCE_STORAGE_URL;
  if (!url) return postgresStore;
  if (cached?.url !== url) cached = { url, store: s3Store(parseStorageUrl(url)) };
  return cached.store;
}

/** The store holding an item's bytes (where it was uploaded to, whatever the configuration says now). */
export function storeFor(kind: string | null): EvidenceStore {
  if (kind === 's3') {
    const store = uploadStore();
    if (store.kind !== 's3') throw new AppError('unavailable', 'This evidence file is in object storage, and EVIDENCE_STORAGE_URL is not set');
    return store;
  }
  return postgresStore;
}
