// Railed and flat channel detection.
import { describe, expect, it } from 'vitest';
import { ChannelQuality, QUALITY_FLAT, QUALITY_OK, QUALITY_RAILED } from '../../../../renderer/stream/channel-quality.js';

describe('ChannelQuality', () => {
  it('flags a railed channel, a flat one, and leaves a live one alone', () => {
    const q = new ChannelQuality(3, 250, [187_500, 187_500, 187_500]);
    const n = 250;
    const samples = new Float32Array(3 * n);
    for (let r = 0; r < n; r++) {
      samples[3 * r] = 1500 + 20 * Math.sin(r / 5); // live EEG on a DC offset
      samples[3 * r + 1] = 187_499; // pinned at full scale
      samples[3 * r + 2] = -2500; // constant: flat
    }
    const before = q.version;
    q.push(samples, 3, n);
    expect(q.flag(0)).toBe(QUALITY_OK);
    expect(q.flag(1)).toBe(QUALITY_RAILED);
    expect(q.flag(2)).toBe(QUALITY_FLAT);
    expect(q.version).toBeGreaterThan(before);
    const v = q.version;
    q.push(samples, 3, n);
    expect(q.version).toBe(v); // no change, no new version
  });

  it('recovers when the channel comes back', () => {
    const q = new ChannelQuality(1, 100, [100]);
    q.push(new Float32Array(50).fill(99), 1, 50);
    expect(q.flag(0)).toBe(QUALITY_RAILED);
    q.push(Float32Array.from({ length: 50 }, (_, i) => Math.sin(i)), 1, 50);
    expect(q.flag(0)).toBe(QUALITY_OK);
  });

  it('judges variance exactly on a large offset', () => {
    const q = new ChannelQuality(1, 100, [Infinity]);
    q.push(Float32Array.from({ length: 50 }, (_, i) => 150_000 + (i % 2 ? 1 : -1)), 1, 50);
    expect(q.flag(0)).toBe(QUALITY_OK);
  });
});
