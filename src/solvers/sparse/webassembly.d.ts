/**
 * The part of Node's WebAssembly global that lu-wasm.ts and newton-wasm.ts use (tsconfig's lib
 * is ES2022 without the DOM, where the WebAssembly declarations live).
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
