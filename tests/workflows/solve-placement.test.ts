/** Where solve chunks run: local activities for short chunks, regular activities otherwise. */
import { chunksRunLocal, estimatedChunkMs, LOCAL_CHUNK_MS } from '../../src/workflows/solve-placement';

describe('solve chunk placement', () => {
  test('auto: short chunks local, long chunks regular activities', () => {
    expect(chunksRunLocal('auto', 'pf_ac', 118, 24)).toBe(true); // ~20 ms
    expect(chunksRunLocal(undefined, 'pf_dc', 14, 2)).toBe(true);
    expect(chunksRunLocal('auto', 'opf_ac', 118, 24)).toBe(true); // ~0.4 s
    expect(chunksRunLocal('auto', 'opf_dc', 1354, 6)).toBe(true); // ~0.8 s
    expect(chunksRunLocal('auto', 'pf_ac', 9241, 24)).toBe(false); // ~1.6 s
    expect(chunksRunLocal('auto', 'opf_ac', 1354, 1)).toBe(false); // ~1.1 s
    expect(chunksRunLocal('auto', 'opf_dc', 9241, 1)).toBe(false); // ~1.4 s
  });

  test('the estimate grows with buses (faster for OPF) and linearly with chunk size; the threshold is inclusive', () => {
    expect(estimatedChunkMs('pf_ac', 200, 10)).toBeCloseTo(2 * estimatedChunkMs('pf_ac', 100, 10));
    expect(estimatedChunkMs('opf_ac', 200, 10)).toBeGreaterThan(3 * estimatedChunkMs('opf_ac', 100, 10));
    expect(estimatedChunkMs('pf_ac', 100, 20)).toBeCloseTo(2 * estimatedChunkMs('pf_ac', 100, 10));
    const buses = LOCAL_CHUNK_MS / estimatedChunkMs('pf_dc', 1, 10);
    expect(chunksRunLocal('auto', 'pf_dc', buses, 10)).toBe(true);
    expect(chunksRunLocal('auto', 'pf_dc', buses + 1, 10)).toBe(false);
  });

  test('always / never override; an unknown grid size (a batch started before) keeps regular activities', () => {
    expect(chunksRunLocal('always', 'opf_ac', 9241, 24)).toBe(true);
    expect(chunksRunLocal('never', 'pf_dc', 14, 1)).toBe(false);
    expect(chunksRunLocal('auto', 'pf_dc', undefined, 1)).toBe(false);
  });
});
