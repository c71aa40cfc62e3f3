/**
 * MATPOWER's pfsoln split of each bus's reactive injection among the in-service generators at
 * it ("divide proportionally"): first equally, then in proportion to their reactive ranges
 * (infinite limits replaced by a finite proxy M, the sum of the bus's |Qg| and finite limits);
 * a bus whose total range is zero splits the violation equally.
 */
const EPS = 2.220446049250313e-16;

/** shareQg's work array, kept between calls (pfsoln runs synchronously, one call at a time). */
let shareScratch = new Float64Array(0);

/**
 * MATPOWER's split of a bus's Qg among its generators (pfsoln, "divide proportionally"). A bus
 * with one generator takes its single-term sums (0 + x, as the general passes form them) in one
 * pass; only generators sharing a bus go through the per-bus passes, in their order, so every sum
 * has the same terms in the same order and the split is the same to the bit.
 */
export function shareQg(
  on: Int32Array,
  ng: number,
  genBus: Int32Array,
  qg: Float64Array,
  QminIn: ArrayLike<number>,
  QmaxIn: ArrayLike<number>,
  nb: number,
): void {
  // per bus: count, Msum, QgTot, QgMin, QgMax; per on-generator: Qmin, Qmax, and the list of
  // those sharing a bus (one scratch)
  const len = 5 * nb + 3 * ng;
  if (shareScratch.length < len) shareScratch = new Float64Array(len);
  const buf = shareScratch;
  const cnt = 0,
    msum = nb,
    tot = 2 * nb,
    qmin = 3 * nb,
    qmax = 4 * nb,
    lo0 = 5 * nb,
    hi0 = 5 * nb + ng,
    shared = 5 * nb + 2 * ng;
  // only the generators' buses are read: zero those (instead of all 5 nb + 3 ng entries)
  for (let k = 0; k < ng; k++) {
    const b = genBus[on[k]];
    buf[cnt + b] = 0;
    buf[msum + b] = 0;
    buf[tot + b] = 0;
    buf[qmin + b] = 0;
    buf[qmax + b] = 0;
  }
  for (let k = 0; k < ng; k++) buf[cnt + genBus[on[k]]]++;
  let ns = 0;
  for (let k = 0; k < ng; k++) {
    const g = on[k];
    const b = genBus[g];
    if (buf[cnt + b] !== 1) {
      buf[shared + ns++] = k;
      continue;
    }
    // alone at its bus: the passes below for one generator (count 1, sums 0 + x)
    const q = qg[g] / 1;
    let m = Math.abs(q);
    const QmaxG = QmaxIn[g],
      QminG = QminIn[g];
    if (Number.isFinite(QmaxG)) m += Math.abs(QmaxG);
    if (Number.isFinite(QminG)) m += Math.abs(QminG);
    const mm = 0 + m;
    let lo = QminG;
    let hi = QmaxG;
    if (lo === Infinity) lo = mm;
    else if (lo === -Infinity) lo = -mm;
    if (hi === Infinity) hi = mm;
    else if (hi === -Infinity) hi = -mm;
    const QgTot = 0 + q,
      QgMin = 0 + lo,
      QgMax = 0 + hi;
    qg[g] = lo + ((QgTot - QgMin) / (QgMax - QgMin + EPS)) * (hi - lo);
    if (Math.abs(QgMin - QgMax) < 10 * EPS) qg[g] = lo + (QgTot - QgMin) / 1;
  }
  for (let j = 0; j < ns; j++) {
    const g = on[buf[shared + j]];
    qg[g] /= buf[cnt + genBus[g]];
  }
  for (let j = 0; j < ns; j++) {
    const g = on[buf[shared + j]];
    let m = Math.abs(qg[g]);
    if (Number.isFinite(QmaxIn[g])) m += Math.abs(QmaxIn[g]);
    if (Number.isFinite(QminIn[g])) m += Math.abs(QminIn[g]);
    buf[msum + genBus[g]] += m;
  }
  for (let j = 0; j < ns; j++) {
    const k = buf[shared + j];
    const g = on[k];
    const b = genBus[g];
    const mm = buf[msum + b];
    let lo = QminIn[g];
    let hi = QmaxIn[g];
    if (lo === Infinity) lo = mm;
    else if (lo === -Infinity) lo = -mm;
    if (hi === Infinity) hi = mm;
    else if (hi === -Infinity) hi = -mm;
    buf[lo0 + k] = lo;
    buf[hi0 + k] = hi;
    buf[tot + b] += qg[g];
    buf[qmin + b] += lo;
    buf[qmax + b] += hi;
  }
  for (let j = 0; j < ns; j++) {
    const k = buf[shared + j];
    const g = on[k];
    const b = genBus[g];
    const lo = buf[lo0 + k],
      hi = buf[hi0 + k];
    const QgTot = buf[tot + b],
      QgMin = buf[qmin + b],
      QgMax = buf[qmax + b];
    qg[g] = lo + ((QgTot - QgMin) / (QgMax - QgMin + EPS)) * (hi - lo);
    // buses with zero total range: equal split of the violation
    if (Math.abs(QgMin - QgMax) < 10 * EPS) qg[g] = lo + (QgTot - QgMin) / buf[cnt + b];
  }
}
