/**
 * keepNativeHeap (native-heap.ts) sets glibc's two malloc thresholds once per process through
 * the FFI, with the values the module documents; it does nothing when GRIDBATCH_MALLOC_TUNE=0 or
 * when libc.so.6 cannot be loaded. The FFI is a recording stand-in here (the real mallopt would
 * change this test process's allocator); the KLU suites run with the real one whenever KLU loads.
 */
type NativeHeap = typeof import('../../src/solvers/sparse/native-heap');

function freshModule(): NativeHeap {
  let mod: NativeHeap | undefined;
  jest.isolateModules(() => {
    mod = jest.requireActual<NativeHeap>('../../src/solvers/sparse/native-heap');
  });
  return mod as NativeHeap;
}

/** An FFI whose libc records the mallopt calls (and answers 1, glibc's success). */
function recordingFfi(calls: [string, number, number][], loads: string[], fail = false) {
  return {
    load(path: string) {
      loads.push(path);
      if (fail) throw new Error(`${path}: cannot open shared object file`);
      return {
        func(decl: string) {
          return (param: number, value: number) => {
            calls.push([decl, param, value]);
            return 1;
          };
        },
      };
    },
  };
}

describe('keepNativeHeap', () => {
  const before = process.env.GRIDBATCH_MALLOC_TUNE;
  afterEach(() => {
    if (before === undefined) delete process.env.GRIDBATCH_MALLOC_TUNE;
    else process.env.GRIDBATCH_MALLOC_TUNE = before;
  });

  it('sets the mmap and trim thresholds once per process', () => {
    delete process.env.GRIDBATCH_MALLOC_TUNE;
    const m = freshModule();
    const calls: [string, number, number][] = [];
    const loads: string[] = [];
    expect(m.keepNativeHeap(recordingFfi(calls, loads))).toBe(true);
    expect(loads).toEqual(['libc.so.6']);
    expect(calls).toEqual([
      ['int mallopt(int param, int value)', -3, m.MMAP_THRESHOLD_BYTES],
      ['int mallopt(int param, int value)', -1, m.TRIM_THRESHOLD_BYTES],
    ]);
    expect(m.MMAP_THRESHOLD_BYTES).toBe(32 << 20);
    expect(m.TRIM_THRESHOLD_BYTES).toBe(2 * m.MMAP_THRESHOLD_BYTES);
    // a second KLU load in the process: nothing more
    expect(m.keepNativeHeap(recordingFfi(calls, loads))).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('keeps glibc defaults with GRIDBATCH_MALLOC_TUNE=0', () => {
    process.env.GRIDBATCH_MALLOC_TUNE = '0';
    const calls: [string, number, number][] = [];
    const loads: string[] = [];
    expect(freshModule().keepNativeHeap(recordingFfi(calls, loads))).toBe(false);
    expect(loads).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('does nothing where libc.so.6 cannot be loaded (not glibc)', () => {
    delete process.env.GRIDBATCH_MALLOC_TUNE;
    const calls: [string, number, number][] = [];
    const loads: string[] = [];
    expect(freshModule().keepNativeHeap(recordingFfi(calls, loads, true))).toBe(false);
    expect(loads).toEqual(['libc.so.6']);
    expect(calls).toEqual([]);
  });
});
