// The online decoder's recent probabilities: a ring of typed arrays laid out oldest-first for uPlot.
import { describe, expect, it } from 'vitest';
import { PredictionHistory } from '../../../../renderer/stream/prediction-history.js';

describe('prediction history', () => {
  it('keeps the newest predictions, oldest first, in seconds of the stream', () => {
    const h = new PredictionHistory(4);
    h.reset(['left', 'right'], 250);
    let fired = 0;
    h.onPrediction.on(() => fired++);
    for (let i = 0; i < 6; i++) h.push(250 * i, [i / 10, 1 - i / 10]);
    expect(h.length).toBe(4);
    expect(fired).toBe(6);
    const { timesSec, probabilities } = h.layout();
    expect(Array.from(timesSec)).toEqual([2, 3, 4, 5]);
    expect(Array.from(probabilities[0])).toEqual([0.2, 0.3, 0.4, 0.5]);
    expect(Array.from(probabilities[1]).map((p) => Math.round(p * 10) / 10)).toEqual([0.8, 0.7, 0.6, 0.5]);
    const out = new Float64Array(2);
    expect(h.latest(out)).toBe(1250);
    expect(Array.from(out)).toEqual([0.5, 0.5]);
  });

  it('starts over on a reset or a prediction older than the newest (a replay sought backwards)', () => {
    const h = new PredictionHistory(8);
    h.reset(['a', 'b', 'c'], 100);
    const v0 = h.version;
    h.push(500, [0.1, 0.2, 0.7]);
    h.push(600, [0.1, 0.2, 0.7]);
    expect(h.version).toBe(v0 + 2);
    h.push(100, [0.3, 0.3, 0.4]);
    expect(h.length).toBe(1);
    expect(Array.from(h.layout().timesSec)).toEqual([1]);
    h.reset(['x', 'y'], 100);
    expect(h.length).toBe(0);
    expect(h.latest(new Float64Array(2))).toBeNull();
    expect(() => h.push(1, [1, 0, 0])).toThrow(/3 probabilities for 2 classes/);
    expect(() => h.reset(['x'], 0)).toThrow(/sample rate/);
  });
});
