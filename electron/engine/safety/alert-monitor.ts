// The alert rules, evaluated by the engine: on each quality summary from the pipeline worker
// (railed or flat used channels, sustained artefacts, the loss rate, the session's length against
// the protocol's maximum and the fatigue reminder: all counted in samples, so a replay raises the
// same alerts at the same samples at any speed), on link changes, on impedance readings and on the
// disk's free space. A condition raises one alert when it starts and re-arms once it clears.

import type { Alert, AlertRule } from '../../common/contract/alerts.js';
import type { AlertRules } from '../../common/contract/ethics.js';
import type { QualitySummary } from '../../common/contract/quality.js';
import type { ImpedanceReading } from '../../common/boards/amplifier.js';

const LOSS_WINDOWS = 10;

export interface AlertMonitorOptions {
  readonly sampleRateHz: number;
  channelLabels: readonly string[];
  /** Channels the rules watch (stream indices): the EEG channels. */
  usedChannels: readonly number[];
  rules: AlertRules;
  /** Called with each new alert (the engine logs and broadcasts it). */
  readonly raise: (alert: Omit<Alert, 'id' | 'raisedAt' | 'acknowledged'>) => void;
}

export class AlertMonitor {
  private readonly railedRun: Int32Array;
  private readonly flatRun: Int32Array;
  private readonly artefactRun: Int32Array;
  private readonly active = new Set<string>();
  private readonly lossRing = new Float64Array(LOSS_WINDOWS * 2); // lost, rows+lost per window
  private lossWindows = 0;
  /** The first sample of the session the length rules measure (a recording's start), or -1. */
  private sessionStart = -1;
  private maxSessionMinutes: number | undefined;

  constructor(private readonly options: AlertMonitorOptions) {
    const n = options.channelLabels.length;
    this.railedRun = new Int32Array(n);
    this.flatRun = new Int32Array(n);
    this.artefactRun = new Int32Array(n);
  }

  set rules(rules: AlertRules) {
    this.options.rules = rules;
  }

  get rules(): AlertRules {
    return this.options.rules;
  }

  /** New labels and used channels (a montage was applied; the channel count is the board's). */
  setChannels(channelLabels: readonly string[], usedChannels: readonly number[]): void {
    this.options.channelLabels = channelLabels;
    this.options.usedChannels = usedChannels;
  }

  /** The session's length rules count from this sample (a recording's first), under this protocol's maximum. */
  startSession(firstSampleIndex: number, maxSessionMinutes: number | undefined): void {
    this.sessionStart = firstSampleIndex;
    this.maxSessionMinutes = maxSessionMinutes;
    for (const key of [...this.active]) if (key.startsWith('protocol-length') || key === 'fatigue') this.active.delete(key);
  }

  endSession(): void {
    this.sessionStart = -1;
  }

  /** Raises once while `condition` holds under `key`; re-arms when it stops holding. */
  private edge(key: string, condition: boolean, alert: () => Omit<Alert, 'id' | 'raisedAt' | 'acknowledged'>): void {
    if (!condition) {
      this.active.delete(key);
      return;
    }
    if (this.active.has(key)) return;
    this.active.add(key);
    this.options.raise(alert());
  }

  onQuality(q: QualitySummary): void {
    const rules = this.options.rules;
    const rate = this.options.sampleRateHz;
    const windowSec = q.windowRows / rate;
    const lastSample = q.firstSampleIndex + q.windowRows - 1;
    const needRailedFlat = Math.max(1, Math.ceil(rules.railedFlatSec / windowSec));
    const needArtefacts = Math.max(1, Math.ceil(rules.sustainedArtefactSec / windowSec));
    for (const c of this.options.usedChannels) {
      const ch = q.channels[c];
      if (!ch) continue;
      const label = this.options.channelLabels[c];
      this.railedRun[c] = ch.railed ? this.railedRun[c] + 1 : 0;
      this.flatRun[c] = ch.flat && !ch.railed ? this.flatRun[c] + 1 : 0;
      this.artefactRun[c] = ch.artefactSegments > 0 ? this.artefactRun[c] + 1 : 0;
      this.edge(`railed:${c}`, this.railedRun[c] >= needRailedFlat, () => ({ rule: 'railed', severity: 'critical', channel: label, sampleIndex: lastSample, message: `channel ${label} is railed (at the amplifier's full scale): check its electrode and lead` }));
      this.edge(`flat:${c}`, this.flatRun[c] >= needRailedFlat, () => ({ rule: 'flat', severity: 'critical', channel: label, sampleIndex: lastSample, message: `channel ${label} is flat (no signal): check that it is powered on and its electrode is connected` }));
      this.edge(`artefacts:${c}`, this.artefactRun[c] >= needArtefacts, () => ({
        rule: 'artefacts',
        severity: 'warning',
        channel: label,
        sampleIndex: lastSample,
        message: `channel ${label} has had artefacts (over ${rules.artefactUv} µV peak to peak) for ${rules.sustainedArtefactSec} s: check the electrode and ask the person to relax`,
      }));
    }
    // losses over the last ten windows
    const slot = (this.lossWindows % LOSS_WINDOWS) * 2;
    this.lossRing[slot] = q.lostRows;
    this.lossRing[slot + 1] = q.rows + q.lostRows;
    this.lossWindows++;
    let lost = 0;
    let total = 0;
    for (let i = 0; i < Math.min(this.lossWindows, LOSS_WINDOWS); i++) {
      lost += this.lossRing[2 * i];
      total += this.lossRing[2 * i + 1];
    }
    const percent = total > 0 ? (100 * lost) / total : 0;
    this.edge('loss-rate', lost > 0 && percent > rules.lossPercent, () => ({
      rule: 'loss-rate',
      severity: 'critical',
      sampleIndex: lastSample,
      message: `${percent.toFixed(1)} % of the samples of the last ${Math.round(Math.min(this.lossWindows, LOSS_WINDOWS) * windowSec)} s were lost (more than ${rules.lossPercent} %): check the radio link and the distance to the dongle`,
    }));
    // the session's length, in samples
    if (this.sessionStart >= 0) {
      const minutes = (lastSample + 1 - this.sessionStart) / rate / 60;
      const max = this.maxSessionMinutes;
      if (max !== undefined) {
        this.edge('protocol-length:warn', minutes >= max - rules.protocolWarnMinutes && minutes < max, () => ({ rule: 'protocol-length', severity: 'warning', sampleIndex: lastSample, message: `the session reaches the protocol's maximum of ${max} min in ${Math.max(0, max - minutes).toFixed(1)} min: plan to stop` }));
        this.edge('protocol-length:over', minutes >= max, () => ({ rule: 'protocol-length', severity: 'critical', sampleIndex: lastSample, message: `the session has reached the protocol's maximum of ${max} min: stop now` }));
      }
      const fatigue = rules.fatigueMinutes;
      if (fatigue > 0 && !this.active.has('fatigue') && minutes >= fatigue) {
        this.edge('fatigue', true, () => ({ rule: 'fatigue', severity: 'warning', sampleIndex: lastSample, message: `the session has run ${fatigue} min: check on the person (fatigue, comfort) and offer a break` }));
      }
    }
  }

  onLink(state: string, message: string, sampleIndex: number): void {
    this.edge('link-lost', state === 'disconnected' || state === 'reconnecting', () => ({ rule: 'link-lost', severity: 'critical', sampleIndex, message: `the link to the board was lost${message ? ` (${message})` : ''}: check the dongle and the board's power; samples are missing until it returns` }));
  }

  onImpedance(readings: readonly ImpedanceReading[], sampleIndex: number): void {
    const max = this.options.rules.impedanceMaxKOhm;
    for (const r of readings) {
      const over = r.railed || !Number.isFinite(r.impedanceKOhm) || r.impedanceKOhm > max;
      this.edge(`impedance:${r.channel}`, over, () => ({ rule: 'impedance', severity: 'warning', channel: r.label, sampleIndex, message: `electrode ${r.label}'s impedance is ${r.railed ? 'unmeasurable (railed)' : `${r.impedanceKOhm.toFixed(0)} kΩ`}, over ${max} kΩ: re-prepare it or note an override with a reason` }));
    }
  }

  onDisk(freeMb: number, folder: string, sampleIndex: number): void {
    const min = this.options.rules.diskMinMb;
    this.edge('disk', freeMb < min, () => ({ rule: 'disk', severity: 'critical', sampleIndex, message: `only ${freeMb.toFixed(0)} MB free in ${folder} (less than ${min} MB): free space or stop the recording` }));
  }

  /** Which rule keys are raised and not yet cleared (for tests and the checklist). */
  activeKeys(): string[] {
    return [...this.active];
  }
}

export type { AlertRule };
