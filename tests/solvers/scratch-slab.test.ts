/**
 * Scratch-slab arrays (scratch-slab.ts) behave as fresh typed arrays: zeroed, of the asked
 * length, aligned for their type, never overlapping another (also across a new slab), large ones
 * in a buffer of their own; `ownArrays` gives buffers of their own. Inside `reusingScratch` the
 * same holds, and the next such call carves the same memory again, zeroed.
 */
import {
  ownArrays,
  reusingScratch,
  scratchF64,
  scratchI32,
  scratchU8,
  scratchZVec,
  slabArrays,
} from '../../src/solvers/scratch-slab';

describe('scratch slab', () => {
  it('hands out zeroed, aligned views that never overlap, across slabs', () => {
    const views: (Float64Array | Int32Array | Uint8Array)[] = [];
    // ~3 MB in odd sizes: several slabs are used up
    for (let k = 0; k < 3000; k++) {
      const n = 1 + ((k * 37) % 301);
      const v = k % 3 === 0 ? scratchF64(n) : k % 3 === 1 ? scratchI32(n) : scratchU8(n);
      expect(v.length).toBe(n);
      expect(v.byteOffset % 8).toBe(0);
      for (let i = 0; i < n; i++) if (v[i] !== 0) throw new Error(`view ${k} not zeroed at ${i}`);
      v.fill(k % 100);
      views.push(v);
    }
    // every view still holds what was written into it: no other view touched it
    views.forEach((v, k) => {
      for (let i = 0; i < v.length; i++) if (v[i] !== k % 100) throw new Error(`view ${k} overwritten at ${i}`);
    });
    expect(new Set(views.map((v) => v.buffer)).size).toBeGreaterThan(1);
  });

  it('gives large arrays and ownArrays buffers of their own', () => {
    const big = scratchF64(1 << 15);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(big.byteLength);
    for (const v of [ownArrays.f64(10), ownArrays.i32(10), ownArrays.u8(10)]) {
      expect(v.buffer.byteLength).toBe(v.byteLength);
      expect(Array.from(v)).toEqual(new Array(10).fill(0));
    }
    const a = slabArrays.i32(10),
      b = slabArrays.i32(10);
    expect(a.buffer).toBe(b.buffer);
    const z = scratchZVec(4);
    z.re.fill(1);
    expect(Array.from(z.im)).toEqual([0, 0, 0, 0]);
  });

  it('hands the memory of one reusing call to the next, each view zeroed and apart', () => {
    // sizes as a one-shot solve carves them: small views and ones above a slab's large limit
    const sizes = [5, 300, 40000, 17, 200000, 3, 1000];
    const carveAll = () =>
      sizes.map((n, k) => {
        const v = k % 3 === 0 ? scratchF64(n) : k % 3 === 1 ? scratchI32(n) : scratchU8(n);
        expect(v.length).toBe(n);
        expect(v.byteOffset % 8).toBe(0);
        for (let i = 0; i < n; i++) if (v[i] !== 0) throw new Error(`view ${k} not zeroed at ${i}`);
        v.fill(k + 1);
        return v;
      });
    const first = reusingScratch(carveAll);
    first.forEach((v, k) => {
      for (let i = 0; i < v.length; i++) if (v[i] !== k + 1) throw new Error(`view ${k} overwritten at ${i}`);
    });
    const second = reusingScratch(() => reusingScratch(carveAll)); // a nested call shares the outer one's
    second.forEach((v, k) => {
      expect(v.buffer).toBe(first[k].buffer);
      expect(v.byteOffset).toBe(first[k].byteOffset);
    });
    // outside, views come from fresh slabs again: nothing reused
    const outside = scratchF64(5);
    expect(first.some((v) => v.buffer === outside.buffer)).toBe(false);
  });
});
