import { describe, expect, it } from 'vitest';
import { QualityGate, type QualitySummary } from '../../../../electron/common/assistive/quality-gate.js';
import { ChannelQualityMeter } from '../../../../electron/common/assistive/channel-quality.js';

const RATE = 100;

function gate() {
  return new QualityGate({ usedChannels: ['C3', 'C4'], sampleRateHz: RATE, windowRows: 200, resumeAfterSec: 1 });
}
const summary = (sampleIndex: number, c3: QualitySummary['channels'][number]['state'], other: QualitySummary['channels'][number]['state'] = 'good'): QualitySummary => ({
  sampleIndex,
  channels: [
    { label: 'C3', state: c3 },
    { label: 'C4', state: 'good' },
    { label: 'O1', state: other },
  ],
});

describe('QualityGate', () => {
  it('suspends while the link is lost and resumes only after the signal stayed good', () => {
    const g = gate();
    expect(g.reason(0)).toBeNull();
    g.setLink(false, 100);
    expect(g.reason(150)).toMatch(/connection to the headset is lost/);
    g.setLink(true, 300);
    expect(g.reason(350)).toMatch(/resume in a moment/);
    expect(g.reason(401)).toBeNull();
  });

  it('names a used channel that is railed, flat or noisy; ignores channels the model does not use', () => {
    const g = gate();
    g.setQuality(summary(100, 'good', 'railed'));
    expect(g.reason(100)).toBeNull();
    g.setQuality(summary(200, 'railed'));
    expect(g.reason(200)).toMatch(/Electrode C3 is saturated/);
    g.setQuality(summary(300, 'flat'));
    expect(g.reason(300)).toMatch(/Electrode C3 shows no signal/);
    g.setQuality(summary(400, 'noisy'));
    expect(g.reason(400)).toMatch(/Electrode C3 is too noisy/);
    g.setQuality(summary(500, 'good'));
    expect(g.reason(500)).not.toBeNull();
    expect(g.reason(600)).toBeNull();
  });

  it('after a gap waits for a whole window of new data (and the resume time)', () => {
    const g = gate();
    g.reportGap(1000, 50);
    expect(g.reason(1100)).toMatch(/Data was lost \(50 samples\)/);
    expect(g.reason(1249)).toMatch(/Data was lost/);
    expect(g.reason(1250)).toMatch(/resume in a moment/);
    expect(g.reason(1350)).toBeNull();
  });
});

describe('ChannelQualityMeter', () => {
  const labels = ['C3', 'C4', 'O1'];
  function run(gen: (r: number, c: number) => number, rows = RATE): QualitySummary[] {
    const meter = new ChannelQualityMeter({ labels, rangeUv: [1000, 1000, 1000], judged: [true, true, false], sampleRateHz: RATE, flatUv: 0.05, noisyUv: 150 });
    const data = new Float64Array(rows * 3);
    for (let r = 0; r < rows; r++) for (let c = 0; c < 3; c++) data[r * 3 + c] = gen(r, c);
    const out: QualitySummary[] = [];
    meter.push(data, rows, 0, (s) => out.push(s));
    return out;
  }

  it('tells good, railed, flat and noisy channels apart, once per block', () => {
    const noise = (r: number, c: number) => 10 * Math.sin(r * 1.3 + c) + 5 * Math.cos(r * 2.9);
    expect(run(noise)[0].channels.map((c) => c.state)).toEqual(['good', 'good', 'good']);
    expect(run((r, c) => (c === 0 && r === 40 ? 995 : noise(r, c)))[0].channels[0].state).toBe('railed');
    expect(run((r, c) => (c === 1 ? 12 : noise(r, c)))[0].channels[1].state).toBe('flat');
    expect(run((r, c) => (c === 0 ? (r % 2 ? 400 : -400) : noise(r, c)))[0].channels[0].state).toBe('noisy');
    // a channel not judged stays good whatever it does
    expect(run((r, c) => (c === 2 ? 0 : noise(r, c)))[0].channels[2].state).toBe('good');
    expect(run(noise, 350).map((s) => s.sampleIndex)).toEqual([100, 200, 300]);
  });
});
