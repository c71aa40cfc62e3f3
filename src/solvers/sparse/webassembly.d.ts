/**
 * The part of Node's WebAssembly global that lu-wasm.ts, newton-wasm.ts and kernel-arena.ts use (tsconfig's lib
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
  type Imports = Record<string, Record<string, unknown>>;
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
}
