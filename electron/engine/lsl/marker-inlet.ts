// LSL markers in: a marker stream from experiment software (PsychoPy, Unity, LabRecorder's test
// senders) resolved by name or property; every marker is taken at its LSL timestamp (corrected
// for the sender's clock with lsl_time_correction), converted to host time and mapped to a sample
// index through the clock model, so it lands in the recording and the pipeline where it happened,
// not where it arrived. Pulled with a zero timeout on a short timer: nothing waits. While the board
// is not streaming, markers wait in the inlet (none is lost).

import { EngineError } from '../../common/contract/failure.js';
import { parseLslStreamSelector, type LslStreamSummary } from '../../common/contract/lsl.js';
import { LSL_FORMAT, LSL_FORMAT_NAME, loadLsl, type LslLibrary } from '../../../native/lsl.js';
import { LslClock } from './lsl-clock.js';

export interface MarkerTarget {
  /** Whether markers can be placed now (a board streaming). */
  readonly accepting: boolean;
  /** A marker at host time (ms). */
  addMarker(label: string, hostTimeMs: number): void;
  reportError(message: string): void;
}

const POLL_MS = 5;
const TIME_CORRECTION_EVERY_MS = 5000;

export class LslMarkerInlet {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private correctionSec = 0;
  private correctionAtMs = 0;
  private correcting: Promise<void> | undefined;
  private readonly ec = [0];
  received = 0;

  private constructor(
    private readonly lsl: LslLibrary,
    private readonly clock: LslClock,
    private inlet: unknown,
    readonly stream: LslStreamSummary,
    private readonly target: MarkerTarget,
  ) {}

  /** Resolves the marker stream (NAME or PROP=VALUE) and starts taking its markers. */
  static async open(selectorText: string, target: MarkerTarget, timeoutSec = 10): Promise<LslMarkerInlet> {
    const lsl = loadLsl();
    const selector = parseLslStreamSelector(selectorText);
    const handles = await lsl.resolveHandles(timeoutSec, selector);
    if (handles.length === 0) throw new EngineError('device', `no LSL marker stream with ${selector.prop} "${selector.value}" was found within ${timeoutSec} s: start the experiment's sender, or see what is there with \`bci lsl list\``);
    const [chosen, ...others] = handles;
    for (const h of others) lsl.destroyInfo(h);
    const info = lsl.readInfo(chosen);
    if (info.channelFormat !== LSL_FORMAT.string) {
      lsl.destroyInfo(chosen);
      throw new EngineError('invalid-request', `the LSL stream "${info.name}" carries numbers (${LSL_FORMAT_NAME[info.channelFormat] ?? info.channelFormat}), not text markers: take it as a board (--board lsl --lsl-stream ${info.name})`);
    }
    const inlet = lsl.createInlet(chosen, 360, true);
    lsl.destroyInfo(chosen);
    const stream: LslStreamSummary = { name: info.name, type: info.type, hostname: info.hostname, sourceId: info.sourceId, channelCount: info.channelCount, nominalRateHz: info.nominalRateHz, channelFormat: 'string' };
    const self = new LslMarkerInlet(lsl, new LslClock(lsl), inlet, stream, target);
    try {
      await lsl.openStream(inlet, timeoutSec);
      self.correctionSec = (await lsl.timeCorrection(inlet, timeoutSec)) ?? 0;
      self.correctionAtMs = performance.now();
    } catch (error) {
      lsl.destroyInlet(inlet);
      throw error;
    }
    self.schedule();
    return self;
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  private poll(): void {
    if (!this.inlet) return;
    try {
      while (this.target.accepting) {
        const sample = this.lsl.pullString(this.inlet, this.ec);
        if (!sample) break;
        this.received++;
        this.target.addMarker(sample[0], this.clock.toHostMs(sample[1] + this.correctionSec));
      }
    } catch (error) {
      this.target.reportError(`LSL markers: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (performance.now() - this.correctionAtMs > TIME_CORRECTION_EVERY_MS && !this.correcting) {
      this.correctionAtMs = performance.now();
      this.correcting = this.lsl
        .timeCorrection(this.inlet, 1)
        .then((v) => {
          if (v !== null) this.correctionSec = v;
        })
        .catch(() => undefined)
        .finally(() => (this.correcting = undefined));
    }
    this.schedule();
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.correcting;
    if (this.inlet) this.lsl.destroyInlet(this.inlet);
    this.inlet = undefined;
  }
}
