// The LSL board: any Lab Streaming Layer stream (another amplifier's vendor app, BrainFlow's
// streamer, a second workstation) as the workstation's input. It resolves the stream by name or
// property, reads its description (channel labels, units, types), opens an inlet that reconnects by
// itself when a sender with the same source_id comes back, and pushes what it pulls (never waiting:
// a zero-timeout pull on a short timer) with the sender's timestamps, corrected by
// lsl_time_correction (refreshed every few seconds) and converted to host time, so the clock model
// and markers from other programs follow the sender's clock, not the arrival.
//
// Loss is never silent: a jump in the timestamps of more than half a sample period counts and
// annotates the samples missing (reportGap); a stream that sends nothing for a second turns the
// link "disconnected" without ending the session, and when it comes back the time it was away is
// a gap like any other.

import type { BoardDescriptor, ChannelDescriptor, ChannelType, ChannelUnit } from '../../common/boards/descriptor.js';
import { EngineError } from '../../common/contract/failure.js';
import { parseLslStreamSelector } from '../../common/contract/lsl.js';
import { LSL_FORMAT, loadLsl, type LslLibrary, type LslStreamInfo } from '../../../native/lsl.js';
import type { BoardDriver, LinkStatus, SampleSink } from '../boards/driver.js';
import { LslClock } from './lsl-clock.js';

export interface LslBoardOptions {
  /** NAME, or PROP=VALUE (type=EEG, source_id=…). */
  readonly stream: string;
  /** How long to look for the stream (s, default 5). */
  readonly resolveTimeoutSec?: number;
  /** Silence after which the link is "disconnected" (s, default 1). */
  readonly silenceSec?: number;
}

const POLL_MS = 4;
const TIME_CORRECTION_EVERY_MS = 5000;
const MAX_ROWS_PER_PULL = 1024;

const UNITS: Readonly<Record<string, ChannelUnit>> = {
  microvolts: 'uV', microvolt: 'uV', uv: 'uV', 'µv': 'uV', 'μv': 'uV',
  millivolts: 'mV', millivolt: 'mV', mv: 'mV',
  volts: 'V', volt: 'V', v: 'V',
  g: 'g',
};
const TYPES: Readonly<Record<string, ChannelType>> = { eeg: 'eeg', emg: 'emg', ecg: 'ecg', ekg: 'ecg', eog: 'eog', accelerometer: 'accel', accel: 'accel', acc: 'accel' };
const RANGES: Readonly<Record<ChannelUnit, number>> = { uV: 1_000_000, mV: 1000, V: 1, g: 16, counts: 8_388_608 };

function xmlText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&').trim();
}

function child(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? xmlText(m[1]) : undefined;
}

/**
 * The channels a stream's description declares (desc/channels/channel/{label,unit,type}, LSL's
 * convention); missing labels are numbered, a missing unit is µV for EEG-like streams and counts
 * otherwise. Exported for the unit tests.
 */
export function channelsFromXml(xml: string, channelCount: number, streamType: string): ChannelDescriptor[] {
  const desc = /<desc>([\s\S]*)<\/desc>/.exec(xml)?.[1] ?? '';
  const block = /<channels>([\s\S]*?)<\/channels>/.exec(desc)?.[1] ?? '';
  const declared = [...block.matchAll(/<channel>([\s\S]*?)<\/channel>/g)].map((m) => m[1]);
  const eegStream = /^(eeg|emg|ecg|eog|exg)$/i.test(streamType);
  const channels: ChannelDescriptor[] = [];
  for (let i = 0; i < channelCount; i++) {
    const c = declared[i] ?? '';
    const label = child(c, 'label') || `ch${i + 1}`;
    const typeText = (child(c, 'type') ?? '').toLowerCase();
    const type: ChannelType = TYPES[typeText] ?? (eegStream ? 'eeg' : 'aux');
    const unitText = (child(c, 'unit') ?? '').toLowerCase();
    const unit: ChannelUnit = UNITS[unitText] ?? (eegStream || type !== 'aux' ? 'uV' : 'counts');
    channels.push({ label, type, unit, physicalMin: -RANGES[unit], physicalMax: RANGES[unit] });
  }
  return channels;
}

export class LslBoardDriver implements BoardDriver {
  private lsl: LslLibrary | undefined;
  private clock: LslClock | undefined;
  private inlet: unknown;
  private info: LslStreamInfo | undefined;
  private desc: BoardDescriptor | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sink: SampleSink | undefined;
  private data = new Float64Array(0);
  private stamps = new Float64Array(MAX_ROWS_PER_PULL);
  private readonly ec = [0];
  private correctionSec = 0;
  private correctionAtMs = 0;
  private correcting: Promise<void> | undefined;
  private lastStamp = Number.NaN;
  private lastDataMs = 0;
  private state: LinkStatus['state'] = 'closed';
  private readonly listeners = new Set<(event: { state: LinkStatus['state']; message: string }) => void>();
  /** Samples the stream's timestamps say were missed (counted, reported as gaps). */
  lostRows = 0;

  constructor(private readonly options: LslBoardOptions) {}

  get descriptor(): BoardDescriptor {
    if (!this.desc) throw new EngineError('internal', 'the LSL board has no descriptor before prepare()');
    return this.desc;
  }

  get linkState(): LinkStatus['state'] {
    return this.state;
  }

  /** The resolved stream (after prepare). */
  get stream(): LslStreamInfo | undefined {
    return this.info;
  }

  /** The time correction in use (s to add to the sender's stamps). */
  get timeCorrectionSec(): number {
    return this.correctionSec;
  }

  onLinkState(listener: (event: { state: LinkStatus['state']; message: string }) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private setState(state: LinkStatus['state'], message: string): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.listeners) l({ state, message });
  }

  async prepare(): Promise<void> {
    const lsl = (this.lsl = loadLsl());
    this.clock = new LslClock(lsl);
    const selector = parseLslStreamSelector(this.options.stream);
    const timeoutSec = this.options.resolveTimeoutSec ?? 10;
    const handles = await lsl.resolveHandles(timeoutSec, selector);
    if (handles.length === 0) {
      throw new EngineError('device', `no LSL stream with ${selector.prop} "${selector.value}" was found within ${timeoutSec} s: start its sender, or see what is there with \`bci lsl list\``);
    }
    const [chosen, ...others] = handles;
    for (const h of others) lsl.destroyInfo(h);
    let summary: LslStreamInfo;
    try {
      summary = lsl.readInfo(chosen);
      if (summary.channelFormat === LSL_FORMAT.string) {
        throw new EngineError('invalid-request', `the LSL stream "${summary.name}" carries text (a marker stream): take it as markers (--lsl-markers ${summary.name}), not as a board`);
      }
      if (!(summary.nominalRateHz > 0)) {
        throw new EngineError('invalid-request', `the LSL stream "${summary.name}" has no regular rate (irregular samples): a board needs a nominal rate`);
      }
      this.inlet = lsl.createInlet(chosen, 360, true);
    } finally {
      lsl.destroyInfo(chosen);
    }
    try {
      this.info = await lsl.fullInfo(this.inlet, timeoutSec);
      await lsl.openStream(this.inlet, timeoutSec);
      this.correctionSec = (await lsl.timeCorrection(this.inlet, timeoutSec)) ?? 0;
      this.correctionAtMs = performance.now();
    } catch (error) {
      lsl.destroyInlet(this.inlet);
      this.inlet = undefined;
      throw error;
    }
    const info = this.info;
    const channels = channelsFromXml(info.xml, info.channelCount, info.type);
    this.desc = { id: 'lsl', name: `LSL ${info.name} (${info.type} on ${info.hostname})`, sampleRateHz: info.nominalRateHz, channels };
    this.data = new Float64Array(MAX_ROWS_PER_PULL * info.channelCount);
    this.state = 'connected';
  }

  async start(sink: SampleSink): Promise<void> {
    if (this.sink || !this.lsl) return;
    this.sink = sink;
    // what queued up before the start (or during a pause) is not part of the session
    while (this.lsl.pullChunk(this.inlet, this.data, this.stamps, this.ec) > 0);
    this.lastStamp = Number.NaN;
    this.lastDataMs = performance.now();
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  private poll(): void {
    const sink = this.sink;
    const lsl = this.lsl;
    if (!sink || !lsl) return;
    const nowMs = performance.now();
    try {
      for (;;) {
        const rows = lsl.pullChunk(this.inlet, this.data, this.stamps, this.ec);
        if (rows === 0) break;
        this.lastDataMs = nowMs;
        if (this.state !== 'connected') {
          this.setState('connected', `the LSL stream "${this.info!.name}" is back`);
          this.refreshCorrection(true);
        }
        this.deliver(sink, rows);
        if (rows < MAX_ROWS_PER_PULL) break;
      }
    } catch (error) {
      sink.reportError(error instanceof Error ? error.message : String(error));
    }
    const silenceMs = (this.options.silenceSec ?? 1) * 1000;
    if (this.state === 'connected' && nowMs - this.lastDataMs > Math.max(silenceMs, 20_000 / this.desc!.sampleRateHz)) {
      this.setState('disconnected', `the LSL stream "${this.info!.name}" stopped sending (its sender quit or the network dropped): waiting for it to come back`);
    }
    if (nowMs - this.correctionAtMs > TIME_CORRECTION_EVERY_MS) this.refreshCorrection(false);
    this.schedule();
  }

  /** Pushes `rows` pulled rows, cutting at every jump in the timestamps and reporting the samples it skipped. */
  private deliver(sink: SampleSink, rows: number): void {
    const rate = this.desc!.sampleRateHz;
    const channels = this.desc!.channels.length;
    const stamps = this.stamps;
    let from = 0;
    for (let r = 0; r < rows; r++) {
      const stamp = stamps[r];
      if (!Number.isNaN(this.lastStamp)) {
        const missing = Math.round((stamp - this.lastStamp) * rate) - 1;
        if (missing >= 1) {
          if (r > from) this.push(sink, from, r, channels);
          from = r;
          this.lostRows += missing;
          sink.reportGap(missing);
        }
      }
      this.lastStamp = stamp;
    }
    this.push(sink, from, rows, channels);
  }

  private push(sink: SampleSink, from: number, to: number, channels: number): void {
    if (to <= from) return;
    const rows = from === 0 ? this.data : this.data.subarray(from * channels, to * channels);
    sink.pushRows(rows, to - from, this.clock!.toHostMs(this.stamps[to - 1] + this.correctionSec));
  }

  /** Asks the sender for the clock offset again (off the event loop); one at a time. */
  private refreshCorrection(force: boolean): void {
    if (this.correcting || !this.lsl || !this.inlet) return;
    this.correctionAtMs = performance.now();
    const lsl = this.lsl;
    this.correcting = lsl
      .timeCorrection(this.inlet, force ? 2 : 1)
      .then((value) => {
        if (value !== null) this.correctionSec = value;
      })
      .catch(() => undefined)
      .finally(() => (this.correcting = undefined));
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.sink = undefined;
  }

  async release(): Promise<void> {
    await this.stop();
    // an asynchronous call may still hold the inlet
    await this.correcting;
    if (this.inlet && this.lsl) this.lsl.destroyInlet(this.inlet);
    this.inlet = undefined;
    this.state = 'closed';
  }

  async configure(command: string): Promise<string> {
    throw new EngineError('unsupported', `an LSL stream takes no configuration commands (got "${command}")`);
  }
}
