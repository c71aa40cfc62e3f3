const med = (f: () => void, reps: number) => {
  const xs: number[] = [];
  for (let b = 0; b < 15; b++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    xs.push(((performance.now() - t0) / reps) * 1000);
  }
  return xs.sort((a, b) => a - b)[7].toFixed(2);
};
const keep: unknown[] = [];
for (const n of [8, 128, 1324, 5086, 13924, 48945, 16 * 5086, 262144]) {
  console.log(n, 'alloc us', med(() => { keep.push(new Float64Array(n)); if (keep.length > 50) keep.length = 0; }, 300));
}
