/** hyparquet-writer's page header and footer serializers (Thrift compact), used by parquet-flat-writer.ts (its own types are under an `exports` path that moduleResolution "node" does not read). */
declare module 'hyparquet-writer/src/datapage.js' {
  import type { PageHeader } from 'hyparquet';
  import type { ByteWriter } from 'hyparquet-writer';
  export function writePageHeader(writer: ByteWriter, header: PageHeader): void;
}
declare module 'hyparquet-writer/src/metadata.js' {
  import type { FileMetaData } from 'hyparquet';
  import type { ByteWriter } from 'hyparquet-writer';
  export function writeMetadata(writer: ByteWriter, metadata: Omit<FileMetaData, 'metadata_length'>): void;
}
