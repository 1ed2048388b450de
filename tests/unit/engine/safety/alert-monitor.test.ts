// The alert rules on quality summaries, counted in samples: railed/flat after railedFlatSec, one
// alert per condition until it clears, losses over a 10 s window, the protocol's maximum length
// (warning, then over) and the fatigue reminder at the same sample whatever the speed; impedance
// over the threshold; and the checklist's impedance item overridden with a written reason.
import { describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../../../electron/engine/safety/alert-monitor.js';
import { DEFAULT_ALERT_RULES } from '../../../../electron/common/contract/ethics.js';
import type { ChannelQuality, QualitySummary } from '../../../../electron/common/contract/quality.js';
import type { Alert } from '../../../../electron/common/contract/alerts.js';
import { computeChecklist } from '../../../../electron/engine/safety/checklist.js';
import type { Acquisition } from '../../../../electron/engine/acquisition.js';
import type { ImpedanceReading } from '../../../../electron/common/boards/amplifier.js';

const RATE = 250;
const good: ChannelQuality = { level: 'good', railed: false, flat: false, rmsUv: 10, lineNoiseRatio: 0.1, peakToPeakUv: 40, artefactSegments: 0 };
const window = (k: number, channels: ChannelQuality[], lostRows = 0): QualitySummary => ({ firstSampleIndex: k * RATE, windowRows: RATE, rows: RATE - lostRows, lostRows, channels });

function monitor(rules = DEFAULT_ALERT_RULES) {
  const alerts: Omit<Alert, 'id' | 'raisedAt' | 'acknowledged'>[] = [];
  const m = new AlertMonitor({ sampleRateHz: RATE, channelLabels: ['C3', 'C4'], usedChannels: [0, 1], rules, raise: (a) => alerts.push(a) });
  return { m, alerts };
}

describe('AlertMonitor', () => {
  it('raises railed after railedFlatSec, once, and again only after it cleared', () => {
    const { m, alerts } = monitor();
    const railed = { ...good, railed: true, level: 'bad' as const };
    m.onQuality(window(0, [railed, good]));
    expect(alerts).toHaveLength(0);
    m.onQuality(window(1, [railed, good]));
    m.onQuality(window(2, [railed, good]));
    expect(alerts.map((a) => `${a.rule}:${a.channel}@${a.sampleIndex}`)).toEqual(['railed:C3@499']);
    m.onQuality(window(3, [good, good]));
    m.onQuality(window(4, [railed, good]));
    m.onQuality(window(5, [railed, good]));
    expect(alerts).toHaveLength(2);
  });

  it('raises loss-rate over the last 10 s, and re-arms when it falls back', () => {
    const { m, alerts } = monitor();
    m.onQuality(window(0, [good, good], 10)); // 4 % of one second
    expect(alerts.map((a) => a.rule)).toEqual(['loss-rate']);
    for (let k = 1; k < 12; k++) m.onQuality(window(k, [good, good]));
    m.onQuality(window(12, [good, good], 50));
    expect(alerts.map((a) => a.rule)).toEqual(['loss-rate', 'loss-rate']);
  });

  it('warns before the protocol maximum, then says it is reached, and reminds of fatigue, all by sample count', () => {
    const { m, alerts } = monitor({ ...DEFAULT_ALERT_RULES, protocolWarnMinutes: 1, fatigueMinutes: 2 });
    m.startSession(100, 3);
    for (let k = 0; k < 3 * 60 + 2; k++) m.onQuality(window(k, [good, good]));
    expect(alerts.map((a) => `${a.rule}/${a.severity}@${a.sampleIndex}`)).toEqual([
      // 2 min of samples from sample 100: the window ending at or after 100 + 2·60·250 − 1
      `protocol-length/warning@${120 * RATE + RATE - 1}`,
      `fatigue/warning@${120 * RATE + RATE - 1}`,
      `protocol-length/critical@${180 * RATE + RATE - 1}`,
    ]);
  });

  it('raises impedance over the threshold per electrode', () => {
    const { m, alerts } = monitor();
    const reading = (channel: number, kOhm: number, railed = false): ImpedanceReading => ({ channel, label: `C${channel}`, impedanceKOhm: kOhm, toneAmplitudeUv: 1, quality: 'good', railed, samples: 250 });
    m.onImpedance([reading(1, 12), reading(2, 80), reading(3, 0, true)], 42);
    expect(alerts.map((a) => a.message)).toEqual([
      "electrode C2's impedance is 80 kΩ, over 50 kΩ: re-prepare it or note an override with a reason",
      "electrode C3's impedance is unmeasurable (railed), over 50 kΩ: re-prepare it or note an override with a reason",
    ]);
  });
});

describe('the checklist impedance item', () => {
  const descriptor = { id: 'cyton', name: 'Cyton', sampleRateHz: RATE, channels: [{ label: 'C3', type: 'eeg' }, { label: 'C4', type: 'eeg' }, { label: 'AccX', type: 'accel' }] };
  const amplifierDriver = { setChannels() {}, measureImpedance() {}, channelSettings: [], resetDefaults() {}, registerDump() {}, linkState: 'connected', onLinkState() {}, notices: [], currentDescriptor: descriptor };
  const acq = (impedance: ImpedanceReading[], override?: { channels: number[]; reason: string; at: string }) =>
    ({ descriptor, driver: amplifierDriver, impedance, impedanceOverride: override, goodQualityWindows: 0, quality: null, link: null, startedAtMs: 0, rowsReceived: 0 }) as unknown as Acquisition;
  const item = (a: Acquisition) =>
    computeChecklist({ state: 'connected', acq: a, mode: 'recording', session: undefined, protocol: undefined, requireProtocol: false, rules: DEFAULT_ALERT_RULES, dataDir: '/tmp', plannedMinutes: 1, powerLineHz: 50 }).find((i) => i.id === 'impedance')!;
  const reading = (channel: number, kOhm: number): ImpedanceReading => ({ channel, label: channel === 1 ? 'C3' : 'C4', impedanceKOhm: kOhm, toneAmplitudeUv: 1, quality: 'good', railed: false, samples: 250 });

  it('is red until every used electrode is measured under the threshold or overridden with a reason', () => {
    expect(item(acq([reading(1, 5)])).detail).toBe('measure the impedance (channels 2 not measured yet)');
    expect(item(acq([reading(1, 5), reading(2, 90)]))).toMatchObject({ ok: false, detail: 'C4 90 kΩ over 50 kΩ: re-prepare, or override with a reason' });
    expect(item(acq([reading(2, 90)])).detail).toBe('C4 90 kΩ over 50 kΩ: re-prepare, or override with a reason; measure the impedance (channels 1 not measured yet)');
    const overridden = item(acq([reading(1, 5), reading(2, 90)], { channels: [2], reason: 'scar tissue under C4, agreed with PI', at: '' }));
    expect(overridden).toMatchObject({ ok: true, detail: 'the others under 50 kΩ; overridden (channel 2): scar tissue under C4, agreed with PI' });
    // unmeasured channels can be overridden too (dry electrodes the lead-off test cannot judge)
    expect(item(acq([], { channels: [1, 2], reason: 'dry electrodes, checked by eye', at: '' }))).toMatchObject({ ok: true, detail: 'overridden (channels 1, 2): dry electrodes, checked by eye' });
  });
});
