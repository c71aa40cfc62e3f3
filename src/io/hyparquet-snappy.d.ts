/** hyparquet-writer's snappy compressor (its own types are under an `exports` path that moduleResolution "node" does not read). */
declare module 'hyparquet-writer/src/snappy.js' {
  export function snappyCompress(input: Uint8Array): Uint8Array;
}
