/**
 * Raw loads and stores of the WebAssembly kernels (wasm/lu-kernels.ts, wasm/newton-kernels.ts):
 * element i of the array at byte offset b, no bounds checks (each kernel's layout is sized from
 * the arrays it holds). Imported by the kernels, never exported from their modules.
 */

/** i32 element i */
export function gi(b: usize, i: i32): i32 {
  return load<i32>(b + ((<usize>i) << 2));
}

/** f64 element i */
export function gf(b: usize, i: i32): f64 {
  return load<f64>(b + ((<usize>i) << 3));
}

/** sets f64 element i */
export function sf(b: usize, i: i32, v: f64): void {
  store<f64>(b + ((<usize>i) << 3), v);
}

/** u8 element i, as i32 */
export function gb(b: usize, i: i32): i32 {
  return <i32>load<u8>(b + <usize>i);
}
