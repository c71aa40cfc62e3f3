import { chunkCount, chunkRanges, chunkSlices, jobCount, jobTimes } from '../../src/contracts/chunk-plan';

describe('chunk plan', () => {
  test('a scenario without time slices is one job with time null', () => {
    expect(jobCount(0)).toBe(1);
    expect(jobTimes([])).toEqual([null]);
    expect(jobTimes(['t1', 't2'])).toEqual(['t1', 't2']);
    expect(chunkCount(0, 24)).toBe(1);
    expect(chunkSlices(0, 0, 24)).toEqual({ sliceStart: 0, sliceEnd: 1 });
  });
  test('chunks cover the jobs once, the last one short', () => {
    expect(chunkCount(50, 24)).toBe(3);
    expect([0, 1, 2].map((c) => chunkSlices(c, 50, 24))).toEqual([
      { sliceStart: 0, sliceEnd: 24 },
      { sliceStart: 24, sliceEnd: 48 },
      { sliceStart: 48, sliceEnd: 50 },
    ]);
    expect(chunkRanges(50, 24)).toEqual([[0, 3]]);
    expect(chunkRanges(50, 24, [[1, 2]])).toEqual([[1, 2]]);
  });
});
