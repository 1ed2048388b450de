// LSL outlets of a connected board: the raw EEG, the filtered EEG, the decoder's predictions and
// the markers, each switchable while streaming. They listen to the engine's streams (never the
// other way round): a push hands liblsl a copy that its own threads send, so the engine's loop
// never waits on the network. Timestamps are the clock model's de-jittered host times of each
// sample, converted to lsl_local_clock. The description follows LSL's metadata conventions
// (desc/channels/channel/{label,unit,type,location}, desc/acquisition, desc/reference), and each
// outlet's source_id is stable for a board and its serial port or file, so LabRecorder picks the
// stream up again after a restart.

import type { Disposable } from '../../common/disposable.js';
import type { BoardDescriptor, ChannelDescriptor } from '../../common/boards/descriptor.js';
import { electrodePosition } from '../../common/boards/montage.js';
import { failureOf } from '../../common/contract/failure.js';
import { LSL_OUTLET_KINDS, type LslOutletInfo, type LslOutletKind, type LslOutletsRequest, type LslOutletsState } from '../../common/contract/lsl.js';
import type { FilteredChunk } from '../../common/contract/worker-messages.js';
import { LSL_FORMAT, LSL_IRREGULAR_RATE, loadLsl, type LslLibrary } from '../../../native/lsl.js';
import type { EngineEvents, MarkerEvent, PredictionEvent, RawChunk } from '../engine-events.js';
import { LslClock } from './lsl-clock.js';

/** What the outlets need of the engine. */
export interface OutletSource {
  on<K extends keyof EngineEvents>(event: K, listener: (value: EngineEvents[K]) => void): Disposable;
  /** The clock model's host time of a sample (ms). */
  sampleTimeMs(sampleIndex: number): number;
  /** An outlet failed (reported once; the others and the session go on). */
  reportError(message: string): void;
}

const UNIT_NAMES: Readonly<Record<ChannelDescriptor['unit'], string>> = { uV: 'microvolts', mV: 'millivolts', V: 'volts', g: 'g', counts: 'counts' };
const TYPE_NAMES: Readonly<Record<ChannelDescriptor['type'], string>> = { eeg: 'EEG', emg: 'EMG', ecg: 'ECG', eog: 'EOG', accel: 'Accelerometer', aux: 'AUX' };
/** Head radius for the electrode locations (mm), as LSL's convention gives positions in mm (X right, Y front, Z up). */
const HEAD_RADIUS_MM = 85;

class Outlet {
  samplesPushed = 0;
  /** The last row pushed: its sample index and the LSL time it went out with (-1 before any). */
  lastIndex = -1;
  lastStamp = 0;
  private timestamps = new Float64Array(64);

  constructor(
    readonly lsl: LslLibrary,
    readonly handle: unknown,
    readonly info: Omit<LslOutletInfo, 'samplesPushed'>,
    /** Classes of a predictions outlet (its channels). */
    readonly classes: readonly string[] = [],
  ) {}

  /** Rows of values with one sample index per row (first + r × stride), stamped through the clock. */
  pushRows(data: Float64Array, rowCount: number, firstSampleIndex: number, strideRows: number, clock: LslClock, timeOfMs: (i: number) => number): void {
    if (rowCount <= 0) return;
    if (this.timestamps.length < rowCount) this.timestamps = new Float64Array(Math.max(rowCount, this.timestamps.length * 2));
    const ts = this.timestamps;
    for (let r = 0; r < rowCount; r++) ts[r] = clock.toLslSec(timeOfMs(firstSampleIndex + r * strideRows));
    this.lsl.pushChunk(this.handle, data, rowCount * this.info.channelCount, ts);
    this.samplesPushed += rowCount;
    this.lastIndex = firstSampleIndex + (rowCount - 1) * strideRows;
    this.lastStamp = ts[rowCount - 1];
  }

  destroy(): void {
    this.lsl.destroyOutlet(this.handle);
  }

  describe(): LslOutletInfo {
    return { ...this.info, samplesPushed: this.samplesPushed };
  }
}

export class LslOutlets {
  private readonly wanted: Record<LslOutletKind, boolean> = { raw: false, filtered: false, predictions: false, markers: false };
  private readonly outlets = new Map<LslOutletKind, Outlet>();
  private readonly failed = new Set<LslOutletKind>();
  private message: string | null = null;
  private name: string | undefined;
  private attached: { descriptor: BoardDescriptor; identity: string; subscriptions: Disposable[] } | undefined;
  private clock: LslClock | undefined;

  constructor(private readonly source: OutletSource) {}

  /** Sets which outlets are wanted; while a board is connected they open and close at once. Throws (unsupported) when LSL is wanted and missing. */
  set(request: LslOutletsRequest): LslOutletsState {
    const next = { ...this.wanted };
    for (const kind of LSL_OUTLET_KINDS) if (request[kind] !== undefined) next[kind] = request[kind];
    if (LSL_OUTLET_KINDS.some((k) => next[k])) this.library();
    Object.assign(this.wanted, next);
    if (request.name !== undefined && request.name !== this.name) {
      this.name = request.name;
      for (const kind of LSL_OUTLET_KINDS) this.close(kind);
    }
    for (const kind of LSL_OUTLET_KINDS) if (!next[kind]) this.close(kind);
    this.failed.clear();
    if (this.attached) this.openWanted();
    return this.state();
  }

  state(): LslOutletsState {
    return {
      available: this.message === null || !this.message.startsWith('LSL is not available'),
      message: this.message,
      wanted: { ...this.wanted },
      outlets: [...this.outlets.values()].map((o) => o.describe()),
    };
  }

  /** A board is connected: its outlets open (those wanted). `identity` makes the source_id (board, port or file). */
  attach(descriptor: BoardDescriptor, identity: string): void {
    this.detach();
    // raw rows are copied for listeners only: the raw subscription exists while the raw outlet does
    const subscriptions = [
      this.source.on('filtered', (chunk) => this.onFiltered(chunk)),
      this.source.on('prediction', (event) => this.onPrediction(event)),
      this.source.on('marker', (event) => this.onMarker(event)),
    ];
    this.attached = { descriptor, identity, subscriptions };
    this.failed.clear();
    this.openWanted();
  }

  /** The connected board was relabelled (a montage): its outlets open again with the new channel description (same source_id). */
  relabel(descriptor: BoardDescriptor): void {
    const a = this.attached;
    if (a && a.descriptor !== descriptor) this.attach(descriptor, a.identity);
  }

  /** The board is gone: every outlet closes (they open again on the next connect). */
  detach(): void {
    if (!this.attached) return;
    for (const s of this.attached.subscriptions) s.dispose();
    this.attached = undefined;
    for (const kind of LSL_OUTLET_KINDS) this.close(kind);
  }

  private library(): LslLibrary {
    try {
      const lsl = loadLsl();
      this.clock ??= new LslClock(lsl);
      return lsl;
    } catch (error) {
      this.message = failureOf(error).error;
      throw error;
    }
  }

  private close(kind: LslOutletKind): void {
    this.outlets.get(kind)?.destroy();
    this.outlets.delete(kind);
    if (kind === 'raw') {
      this.rawSubscription?.dispose();
      this.rawSubscription = undefined;
    }
  }

  private rawSubscription: Disposable | undefined;

  private openWanted(): void {
    const a = this.attached;
    if (!a) return;
    for (const kind of ['raw', 'filtered', 'markers'] as const) {
      if (!this.wanted[kind] || this.outlets.has(kind) || this.failed.has(kind)) continue;
      this.guard(kind, () => this.outlets.set(kind, kind === 'markers' ? this.openMarkers(a.descriptor, a.identity) : this.openEeg(kind, a.descriptor, a.identity)));
    }
    if (this.outlets.has('raw') && !this.rawSubscription) this.rawSubscription = this.source.on('raw', (chunk) => this.onRaw(chunk));
    // predictions open with the first prediction (their channels are the model's classes)
  }

  private guard(kind: LslOutletKind, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.failed.add(kind);
      this.close(kind);
      this.message = `the LSL ${kind} outlet stopped: ${failureOf(error).error}`;
      this.source.reportError(this.message);
    }
  }

  private baseName(descriptor: BoardDescriptor): string {
    return this.name ?? `BCI ${descriptor.name}`;
  }

  /** Stable for a board and its port or file (and the outlets' name when one is given). */
  private sourceId(identity: string, kind: LslOutletKind): string {
    return `bci-workstation:${identity}${this.name ? `:${this.name}` : ''}:${kind}`;
  }

  private openEeg(kind: 'raw' | 'filtered', descriptor: BoardDescriptor, identity: string): Outlet {
    const lsl = this.library();
    const name = kind === 'raw' ? this.baseName(descriptor) : `${this.baseName(descriptor)} (filtered)`;
    const sourceId = this.sourceId(identity, kind);
    const channelCount = descriptor.channels.length;
    const info = lsl.createInfo(name, 'EEG', channelCount, descriptor.sampleRateHz, LSL_FORMAT.double64, sourceId);
    const desc = lsl.desc(info);
    const channels = lsl.appendChild(desc, 'channels');
    for (const c of descriptor.channels) {
      const ch = lsl.appendChild(channels, 'channel');
      lsl.appendChildValue(ch, 'label', c.label);
      lsl.appendChildValue(ch, 'unit', UNIT_NAMES[c.unit]);
      lsl.appendChildValue(ch, 'type', TYPE_NAMES[c.type]);
      const position = c.type === 'eeg' ? electrodePosition(c.label) : undefined;
      if (position) {
        // azimuthal-equidistant degrees from Cz → a point on a sphere
        const rho = Math.hypot(position.x, position.y);
        const theta = (rho * Math.PI) / 180;
        const s = rho > 0 ? Math.sin(theta) / rho : 0;
        const location = lsl.appendChild(ch, 'location');
        lsl.appendChildValue(location, 'X', (HEAD_RADIUS_MM * s * position.x).toFixed(1));
        lsl.appendChildValue(location, 'Y', (HEAD_RADIUS_MM * s * position.y).toFixed(1));
        lsl.appendChildValue(location, 'Z', (HEAD_RADIUS_MM * Math.cos(theta)).toFixed(1));
      }
    }
    const acquisition = lsl.appendChild(desc, 'acquisition');
    lsl.appendChildValue(acquisition, 'manufacturer', 'BCI Workstation');
    lsl.appendChildValue(acquisition, 'model', descriptor.name);
    lsl.appendChildValue(acquisition, 'board', descriptor.id);
    if (kind === 'filtered') lsl.appendChildValue(desc, 'filtering', 'the workstation pipeline (causal, as live)');
    const handle = lsl.createOutlet(info);
    lsl.destroyInfo(info);
    return new Outlet(lsl, handle, { kind, name, type: 'EEG', sourceId, channelCount, nominalRateHz: descriptor.sampleRateHz });
  }

  private openMarkers(descriptor: BoardDescriptor, identity: string): Outlet {
    const lsl = this.library();
    const name = `${this.baseName(descriptor)} markers`;
    const sourceId = this.sourceId(identity, 'markers');
    const info = lsl.createInfo(name, 'Markers', 1, LSL_IRREGULAR_RATE, LSL_FORMAT.string, sourceId);
    const handle = lsl.createOutlet(info);
    lsl.destroyInfo(info);
    return new Outlet(lsl, handle, { kind: 'markers', name, type: 'Markers', sourceId, channelCount: 1, nominalRateHz: 0 });
  }

  private openPredictions(classes: readonly string[]): Outlet {
    const a = this.attached!;
    const lsl = this.library();
    const name = `${this.baseName(a.descriptor)} predictions`;
    const sourceId = `${this.sourceId(a.identity, 'predictions')}:${classes.join(',')}`;
    const info = lsl.createInfo(name, 'Predictions', classes.length, LSL_IRREGULAR_RATE, LSL_FORMAT.double64, sourceId);
    const channels = lsl.appendChild(lsl.desc(info), 'channels');
    for (const c of classes) {
      const ch = lsl.appendChild(channels, 'channel');
      lsl.appendChildValue(ch, 'label', c);
      lsl.appendChildValue(ch, 'unit', 'probability');
      lsl.appendChildValue(ch, 'type', 'Probability');
    }
    const handle = lsl.createOutlet(info);
    lsl.destroyInfo(info);
    return new Outlet(lsl, handle, { kind: 'predictions', name, type: 'Predictions', sourceId, channelCount: classes.length, nominalRateHz: 0 }, classes);
  }

  private readonly timeOf = (sampleIndex: number): number => this.source.sampleTimeMs(sampleIndex);

  private onRaw(chunk: RawChunk): void {
    const outlet = this.outlets.get('raw');
    if (outlet) this.guard('raw', () => outlet.pushRows(chunk.data, chunk.rowCount, chunk.firstSampleIndex, 1, this.clock!, this.timeOf));
  }

  private onFiltered(chunk: FilteredChunk): void {
    const outlet = this.outlets.get('filtered');
    if (outlet) this.guard('filtered', () => outlet.pushRows(chunk.data, chunk.rowCount, chunk.firstSampleIndex, 1, this.clock!, this.timeOf));
  }

  private onPrediction(event: PredictionEvent): void {
    if (!this.wanted.predictions || this.failed.has('predictions') || !this.attached) return;
    this.guard('predictions', () => {
      let outlet = this.outlets.get('predictions');
      if (!outlet || outlet.classes.join('\n') !== event.classes.join('\n')) {
        this.close('predictions');
        outlet = this.openPredictions(event.classes);
        this.outlets.set('predictions', outlet);
      }
      outlet.pushRows(event.probabilities, event.count, event.firstSampleIndex, event.strideRows, this.clock!, this.timeOf);
    });
  }

  private onMarker(event: MarkerEvent): void {
    const outlet = this.outlets.get('markers');
    if (!outlet) return;
    this.guard('markers', () => {
      // anchored on the last row the raw (or filtered) outlet sent, so that an inlet finds the marker
      // on its sample's very stamp even when the clock model has moved since that row went out
      const rows = this.outlets.get('raw') ?? this.outlets.get('filtered');
      const stamp =
        rows && rows.lastIndex >= 0
          ? rows.lastStamp + (this.source.sampleTimeMs(event.sampleIndex) - this.source.sampleTimeMs(rows.lastIndex)) / 1000
          : this.clock!.toLslSec(this.source.sampleTimeMs(event.sampleIndex));
      outlet.lsl.pushString(outlet.handle, event.label, stamp);
      outlet.samplesPushed++;
    });
  }
}

/** The part of a connect request that makes a board's LSL source_id stable (its id, and its port, file or stream). */
export function boardIdentity(request: unknown): string {
  const r = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const parts = [String(r.board ?? 'board')];
  for (const key of ['port', 'file', 'lslStream', 'serialNumber', 'ipAddress', 'channelCount', 'sampleRateHz']) {
    if (typeof r[key] === 'string' || typeof r[key] === 'number') parts.push(String(r[key]));
  }
  return parts.join(':');
}

