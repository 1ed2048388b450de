// The signal-quality gate of assistive control: selections are suspended while the link to the
// board is lost, while a channel the model uses is railed, flat or noisy, or until a full window
// of data has arrived after a gap; the reason is said in plain words, and selections resume only
// after the signal has been good for `resumeAfterSec`. Its inputs are interfaces: the link state,
// gaps, and a quality summary per channel, which any monitor can produce (channel-quality.ts has one).

export type ChannelQualityState = 'good' | 'railed' | 'flat' | 'noisy';

export interface ChannelQuality {
  readonly label: string;
  readonly state: ChannelQualityState;
}

/** A per-channel quality verdict over the rows up to `sampleIndex` (exclusive). */
export interface QualitySummary {
  readonly sampleIndex: number;
  readonly channels: readonly ChannelQuality[];
}

export interface QualityGateOptions {
  /** The model's channels: only these can suspend selections. */
  readonly usedChannels: readonly string[];
  readonly sampleRateHz: number;
  /** Rows of the model's window: after a gap, selections wait until a window without the gap has arrived. */
  readonly windowRows: number;
  /** How long the signal must be good before selections resume (default 1 s). */
  readonly resumeAfterSec?: number;
}

const LINK_WORDS = 'The connection to the headset is lost. Selections are paused until it comes back.';

function channelWords(label: string, state: ChannelQualityState): string {
  switch (state) {
    case 'railed':
      return `Electrode ${label} is saturated (railed): check that it touches the skin and is not loose. Selections are paused.`;
    case 'flat':
      return `Electrode ${label} shows no signal (flat): check that it is plugged in. Selections are paused.`;
    case 'noisy':
      return `Electrode ${label} is too noisy (movement, jaw tension or a poor contact). Selections are paused until it settles.`;
    case 'good':
      return '';
  }
}

export class QualityGate {
  private readonly used: Set<string>;
  private readonly resumeRows: number;
  private linkLost = false;
  private gapClearAt = -1;
  private gapRows = 0;
  private badChannel: { label: string; state: ChannelQualityState } | null = null;
  /** Sample index from which every input has been good (-1: not yet good). */
  private goodSince = 0;
  private lastIndex = 0;
  private everBad = false;

  constructor(private readonly options: QualityGateOptions) {
    this.used = new Set(options.usedChannels);
    this.resumeRows = Math.round((options.resumeAfterSec ?? 1) * options.sampleRateHz);
  }

  /** The link to the board changed (a serial board's dropout, its reconnection). */
  setLink(connected: boolean, sampleIndex: number): void {
    this.linkLost = !connected;
    this.note(sampleIndex);
  }

  /** `lostRows` rows were lost before `sampleIndex` (the first row after the gap). */
  reportGap(sampleIndex: number, lostRows: number): void {
    this.gapRows = lostRows;
    this.gapClearAt = Math.max(this.gapClearAt, sampleIndex + lostRows + this.options.windowRows);
    this.note(sampleIndex);
  }

  /** A quality summary from a monitor; only the model's channels count. */
  setQuality(summary: QualitySummary): void {
    let bad: { label: string; state: ChannelQualityState } | null = null;
    for (const ch of summary.channels) {
      if (ch.state !== 'good' && this.used.has(ch.label)) {
        bad = { label: ch.label, state: ch.state };
        break;
      }
    }
    this.badChannel = bad;
    this.note(summary.sampleIndex);
  }

  /** The reason selections are suspended at sampleIndex, in plain words, or null when they may go on. */
  reason(sampleIndex: number): string | null {
    this.note(sampleIndex);
    const now = this.lastIndex;
    const current = this.currentProblem(now);
    if (current) return current;
    if (this.everBad && this.goodSince >= 0 && now - this.goodSince < this.resumeRows) return 'The signal is back. Selections resume in a moment, once it has stayed good.';
    return null;
  }

  private currentProblem(now: number): string | null {
    if (this.linkLost) return LINK_WORDS;
    if (this.badChannel) return channelWords(this.badChannel.label, this.badChannel.state);
    if (now < this.gapClearAt) return `Data was lost (${this.gapRows} samples). Selections resume once enough new data has arrived.`;
    return null;
  }

  private note(sampleIndex: number): void {
    this.lastIndex = Math.max(this.lastIndex, sampleIndex);
    const bad = this.linkLost || this.badChannel !== null || this.lastIndex < this.gapClearAt;
    if (bad) {
      this.everBad = true;
      this.goodSince = -1;
    } else if (this.goodSince < 0) {
      this.goodSince = this.lastIndex;
    }
  }

  /** Call with every prediction's sample index: a gap's hold ends by itself as data arrives. */
  advance(sampleIndex: number): void {
    this.note(sampleIndex);
  }
}
