/**
 * runLanes (src/activities/lanes.ts), which the scenario group's lanes run under: a failure
 * stops the other lanes from starting more, and the call returns only once every lane has
 * settled (a cancelled group must leave no chunk still writing when its activity ends).
 */
import { runLanes } from '../../src/activities/lanes';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runLanes', () => {
  test('all lanes run to the end when none fails', async () => {
    const done: number[] = [];
    let next = 0;
    await runLanes(3, async (stopped) => {
      while (!stopped() && next < 10) {
        const k = next++;
        await tick(1);
        done.push(k);
      }
    });
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a failing lane: the others start nothing more, and the call waits for their work in flight', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    let next = 0;
    const run = runLanes(3, async (stopped) => {
      while (!stopped() && next < 100) {
        const k = next++;
        started.push(k);
        if (k === 4) throw new Error('cancelled');
        await tick(k < 4 ? 1 : 30); // the lanes' other work in flight outlasts the failure
        finished.push(k);
      }
    });
    await expect(run).rejects.toThrow('cancelled');
    // every started unit other than the failed one has finished by the time the call rejects
    expect(finished.sort((a, b) => a - b)).toEqual(started.filter((k) => k !== 4).sort((a, b) => a - b));
    expect(started.length).toBeLessThan(10);
  });
});
