// The engine: plain Node, never imports electron. It connects a board driver, keeps every sample in
// the shared ring buffer with a sample index and a clock model, runs the pipeline worker on it (the
// filters, and a decoder when a model is loaded), and publishes raw, filtered, prediction, marker
// and status streams. The Electron main process, `bci serve` and
// the `bci` CLI all host this same class; a feature lives here once.

import { RingBuffer } from '../common/ring-buffer.js';
import { Emitter, type Disposable } from '../common/disposable.js';
import type { BoardDescriptor } from '../common/boards/descriptor.js';
import type { BoardInfo } from '../common/contract/board-options.js';
import {
  EMPTY_PIPELINE,
  describePipeline,
  pipelineProblems,
  pipelineSchema,
  type PipelineDescription,
  type PipelineInput,
} from '../common/contract/pipeline.js';
import type { EngineState, EngineStatus, PlaybackState } from '../common/contract/status.js';
import type { PlaybackCommand } from '../common/contract/playback.js';
import { EngineError, explainIssues, failureOf } from '../common/contract/failure.js';
import { listBoards, openBoard } from './boards/registry.js';
import { hasLink, isAmplifier, type AmplifierBoard, type ChannelSettingsChange } from './boards/driver.js';
import { listSerialPorts } from './serial/ports.js';
import { PipelineHost } from './pipeline-host.js';
import { Recording, defaultDataDir, type RecordingResult } from './recording/recording.js';
import { describeRepair, recoverUnfinished } from './recording/repair.js';
import { RecordingsLibrary } from './files/library.js';
import type { LibraryEntry, LibraryListing, SidecarText } from '../common/contract/library.js';
import { recordingOptionsSchema, type RecordingOptionsInput } from '../common/contract/session.js';
import { Acquisition, hostNowMs } from './acquisition.js';
import { assembleStatus } from './status.js';
import type { EngineEvents, MarkerEvent } from './engine-events.js';
import { loadModelRequestSchema, setDecoderRequestSchema, trainModelRequestSchema, type DecoderInfo, type OnlineDecodingOptions, type TrainModelResult } from '../common/contract/decoding.js';
import { parseModel, type ModelFile } from '../common/decoding/model-file.js';
import { checkNewModelPath, writeModelFile } from './decoding/model-io.js';
import { readModel } from './decoding/onnx.js';
import { trainDecoder } from './decoding/train.js';
import { prepareOnlineDecoder } from './decoding/online-setup.js';
import { ActiveDecoder } from './decoding/active-decoder.js';
import { basename } from 'node:path';
import { LslOutlets, boardIdentity } from './lsl/outlets.js';
import { LslMarkerInlet } from './lsl/marker-inlet.js';
import { lslOutletsRequestSchema, type LslOutletsState, type LslStreamSummary } from '../common/contract/lsl.js';
import { loadLsl, LSL_FORMAT_NAME } from '../../native/lsl.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { INACTIVE_ASSIST, startAssistSchema, type AssistState } from '../common/contract/assistive.js';
import { AssistSession } from './assistive/session.js';
import { serializeModel } from '../common/decoding/model-file.js';
import { SiteStore } from './safety/site-store.js';
import { AlertMonitor } from './safety/alert-monitor.js';
import { acknowledgeAlertSchema, type Alert } from '../common/contract/alerts.js';
import { DEFAULT_ALERT_RULES, alertRulesSchema, type AlertRules } from '../common/contract/ethics.js';
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { computeChecklist } from './safety/checklist.js';
import { DEFAULT_MARKER_PORT, UdpMarkerPort, type MarkerPortInfo } from './markers/udp-markers.js';
import type { ChecklistItem } from '../common/contract/checklist.js';
import type { QualitySummary } from '../common/contract/quality.js';
import { checkEthics } from '../common/safety/ethics.js';
import type { EthicsCheck, SessionMode } from '../common/contract/ethics.js';
import type { SessionInput } from '../common/contract/session.js';
import { sessionSchema } from '../common/contract/session.js';
import { MontageStore } from './montage/montage-store.js';
import { applyMontageTo, type Montage } from '../common/contract/montage.js';

export type { EngineEvents, GapEvent, MarkerEvent, PredictionEvent, RawChunk } from './engine-events.js';

/** How far a marker's host time may lie from the engine's clock (ms): the same machine's clock, give or take a stalled client. */
export const MARKER_TIME_TOLERANCE_MS = 10 * 60_000;

/** "12.3 s before" / "15.0 min after". */
function formatOffset(offsetMs: number): string {
  const abs = Math.abs(offsetMs);
  const amount = abs >= 60_000 ? `${(abs / 60_000).toFixed(1)} min` : `${(abs / 1000).toFixed(1)} s`;
  return `${amount} ${offsetMs < 0 ? 'before' : 'after'}`;
}

export interface EngineOptions {
  /** Ring buffer length in seconds of data (default 30). */
  readonly bufferSec?: number;
  /** Largest chunk the pipeline filters at once, in rows (default 1024). */
  readonly maxBlockRows?: number;
  /** How often status events fire (ms, default 250; 0 = never by timer). */
  readonly statusIntervalMs?: number;
}


/** The recording's annotation of an impedance override: the channels and the operator's reason (the whole reason is in the session file). */
function overrideLabel(override: { readonly channels: readonly number[]; readonly reason: string }): string {
  const reason = override.reason.length > 120 ? `${override.reason.slice(0, 119)}…` : override.reason;
  return `impedance override: ch ${override.channels.join(',')} (${reason})`;
}

export class Engine {
  // a host's listener that throws (a writer on a full disk) never stops the others nor the engine:
  // its failure is an error event (an error listener's own failure is the last error)
  private readonly emitters: { [K in keyof EngineEvents]: Emitter<EngineEvents[K]> } = {
    raw: new Emitter((e) => this.listenerFailed('raw', e)),
    filtered: new Emitter((e) => this.listenerFailed('filtered', e)),
    prediction: new Emitter((e) => this.listenerFailed('prediction', e)),
    status: new Emitter((e) => this.listenerFailed('status', e)),
    marker: new Emitter((e) => this.listenerFailed('marker', e)),
    gap: new Emitter((e) => this.listenerFailed('gap', e)),
    error: new Emitter((e) => this.listenerFailed('error', e)),
    notice: new Emitter((e) => this.listenerFailed('notice', e)),
    assist: new Emitter((e) => this.listenerFailed('assist', e)),
    quality: new Emitter((e) => this.listenerFailed('quality', e)),
    alert: new Emitter((e) => this.listenerFailed('alert', e)),
  };
  /** Every alert raised in this engine's life (the last 1000), acknowledged or not. */
  private readonly alertLog: Alert[] = [];
  private nextAlertId = 1;
  /** Rules set live by an operator (setAlertRules), which a recording's site settings do not replace. */
  private liveRules: AlertRules | undefined;
  private lastDiskCheckMs = 0;
  private markerPort: UdpMarkerPort | undefined;
  private assist: AssistSession | undefined;
  private acquisition: Acquisition | undefined;
  private state: EngineState = 'idle';
  private pipeline: PipelineDescription = EMPTY_PIPELINE;
  private statusTimer: ReturnType<typeof setInterval> | undefined;
  private lastError: string | null = null;
  /** The engine's own notices (recordings recovered at start), shown with the board's. */
  private readonly notices: string[] = [];
  private readonly options: Required<EngineOptions>;
  private decoderGeneration = 0;
  /** Decoder changes run one after another, so the worker and the engine agree on the last one. */
  private decoderChanges: Promise<unknown> = Promise.resolve();
  /** The LSL outlets (raw, filtered, predictions, markers) of the connected board, as switched on. */
  /** LSL marker streams taken in (closed with the board). */
  private lslMarkerInlets: LslMarkerInlet[] = [];
  private readonly lslOutlets = new LslOutlets({
    on: (event, listener) => this.on(event, listener),
    sampleTimeMs: (sampleIndex) => this.sampleTimeMs(sampleIndex),
    reportError: (message) => this.emit('error', message),
  });

  constructor(options: EngineOptions = {}) {
    this.options = { bufferSec: 30, maxBlockRows: 1024, statusIntervalMs: 250, ...options };
  }

  listBoards(): BoardInfo[] {
    return listBoards();
  }

  get descriptor(): BoardDescriptor | undefined {
    return this.acquisition?.descriptor;
  }

  get currentState(): EngineState {
    return this.state;
  }

  /** Subscribes to a stream; dispose the result to unsubscribe. */
  on<K extends keyof EngineEvents>(event: K, listener: (value: EngineEvents[K]) => void): Disposable {
    return this.emitters[event].on(listener);
  }

  hasListeners(event: keyof EngineEvents): boolean {
    return this.emitters[event].hasListeners;
  }

  /** @internal used by the acquisition */
  emit<K extends keyof EngineEvents>(event: K, value: EngineEvents[K]): void {
    if (event === 'error') this.lastError = value as string;
    this.emitters[event].fire(value);
  }

  /** Per event kind: when a listener's failure was last said, and how many came since (said with the next). */
  private readonly listenerFailures = new Map<keyof EngineEvents, { saidAtMs: number; since: number }>();

  private listenerFailed(event: keyof EngineEvents, error: unknown): void {
    // one sentence a second at most per event kind (a writer on a full disk fails on every chunk)
    const now = performance.now();
    const last = this.listenerFailures.get(event);
    if (last && now - last.saidAtMs < 1000) {
      last.since++;
      return;
    }
    const more = last && last.since > 0 ? ` (and ${last.since} more failures before it)` : '';
    this.listenerFailures.set(event, { saidAtMs: now, since: 0 });
    const message = `a ${event} listener failed (${error instanceof Error ? error.message : String(error)})${more}; the engine and the other listeners go on`;
    if (event === 'error') this.lastError = message;
    else this.emit('error', message);
  }

  /** Opens a board. The options are validated here, whoever sends them. */
  async connect(input: unknown): Promise<BoardDescriptor> {
    if (this.state !== 'idle') throw new EngineError('state', 'a board is already connected: disconnect first');
    const driver = openBoard(input);
    try {
      await driver.prepare();
    } catch (error) {
      // a board that cannot be opened is a device failure unless the driver said more precisely
      if (error instanceof EngineError) throw error;
      const failure = failureOf(error);
      throw new EngineError(failure.kind === 'internal' ? 'device' : failure.kind, failure.error);
    }
    const descriptor = driver.descriptor;
    const problems = pipelineProblems(this.pipeline, descriptor.sampleRateHz, descriptor.channels.length);
    if (problems.length > 0) {
      await driver.release();
      throw new EngineError('invalid-request', `the current filters do not fit this board: ${problems.join('; ')}`);
    }
    const channelCount = descriptor.channels.length;
    const maxBlockRows = this.options.maxBlockRows;
    const capacityRows = Math.max(Math.ceil(this.options.bufferSec * descriptor.sampleRateHz), 8 * maxBlockRows);
    const ring = RingBuffer.create({ channelCount, capacityRows, maxReaders: 8 });
    const acq = new Acquisition(this, driver, descriptor, ring, maxBlockRows);
    const slot = ring.claimReaderSlot();
    try {
      acq.pipeline = await PipelineHost.start({
        ring,
        readerSlot: slot,
        readerCursor: ring.writtenRows,
        sampleRateHz: descriptor.sampleRateHz,
        channelCount,
        eegMask: Uint8Array.from(descriptor.channels, (c) => (c.type === 'eeg' ? 1 : 0)),
        channelTypes: descriptor.channels.map((c) => c.type),
        maxBlockRows,
        pipeline: this.pipeline,
        fullScale: Float64Array.from(descriptor.channels, (c) => Math.max(Math.abs(c.physicalMin), Math.abs(c.physicalMax))),
        onQuality: (summary) => acq.onQuality(summary),
        onChunk: (chunk) => acq.onFiltered(chunk),
        onPredictions: (chunk) => acq.onPredictions(chunk),
        onDecoderFailed: (generation, message) => acq.onDecoderFailed(generation, message),
        onError: (message) => this.emit('error', message),
      });
    } catch (error) {
      await driver.release();
      throw error;
    }
    const rules = this.liveRules ?? this.siteRules();
    acq.alerts = new AlertMonitor({
      sampleRateHz: descriptor.sampleRateHz,
      channelLabels: descriptor.channels.map((c) => c.label),
      usedChannels: descriptor.channels.flatMap((c, i) => (c.type === 'eeg' ? [i] : [])),
      rules,
      raise: (alert) => this.raiseAlert(acq, alert),
    });
    acq.pipeline.setQualityThresholds({ artefactUv: rules.artefactUv });
    if (hasLink(driver)) {
      acq.link = { state: driver.linkState, message: '' };
      driver.onLinkState((e) => {
        acq.link = { state: e.state, message: e.message };
        acq.alerts?.onLink(e.state, e.message, acq.nextSampleIndex);
        // a disconnection is on record in the recording too (the gap itself comes as a gap)
        if (e.state === 'disconnected') acq.recording?.addEvent(acq.nextSampleIndex, `disconnected: ${e.message}`, 0, 'disconnection');
        this.emit('status', this.getStatus());
      });
    }
    if (isAmplifier(driver)) for (const notice of driver.notices) this.emit('notice', notice);
    this.acquisition = acq;
    this.state = 'connected';
    this.lastError = null;
    this.lslOutlets.attach(descriptor, boardIdentity(input));
    this.reapplyMontage();
    return acq.descriptor;
  }

  async start(): Promise<void> {
    const acq = this.requireAcquisition('start');
    if (this.state === 'streaming') return;
    acq.startedAtMs = hostNowMs();
    acq.clock.reset();
    if (acq.recording && acq.pausedAtMs !== undefined && acq.pausedAt?.recording === acq.recording) {
      // the file has no samples for the pause: say where and how long it was (a stop that the end
      // of the recording follows is no pause: the file's "recording end" says it)
      acq.recording.addEvent(acq.pausedAt.sampleIndex, 'acquisition paused', 0, 'pause');
      acq.recording.addEvent(acq.nextSampleIndex, `acquisition resumed after a ${((acq.startedAtMs - acq.pausedAtMs) / 1000).toFixed(1)} s pause`, 0, 'pause');
    }
    acq.pausedAtMs = undefined;
    acq.pausedAt = undefined;
    await acq.driver.start(acq);
    this.state = 'streaming';
    if (this.options.statusIntervalMs > 0) {
      this.statusTimer = setInterval(() => {
        this.checkDisk();
        this.emit('status', this.getStatus());
      }, this.options.statusIntervalMs);
      this.statusTimer.unref();
    }
  }

  /** Stops the board and waits until every sample it produced has been filtered and delivered. */
  async stop(): Promise<void> {
    const acq = this.acquisition;
    if (!acq || this.state !== 'streaming') return;
    await acq.driver.stop();
    acq.pausedAtMs = hostNowMs();
    acq.pausedAt = acq.recording ? { sampleIndex: acq.nextSampleIndex, recording: acq.recording } : undefined;
    acq.wakeRoomWaiters();
    await acq.pipeline?.flush();
    acq.drainRaw();
    acq.reportRawLoss();
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = undefined;
    this.state = 'connected';
    this.emit('status', this.getStatus());
  }

  /** Whether the connected board ends by itself (a bounded synthetic run, a recording played once). */
  get finite(): boolean {
    return this.acquisition?.driver.ended !== undefined;
  }

  /** Resolves when a finite source has pushed its last row (never, for a live board). */
  ended(): Promise<void> {
    return this.requireAcquisition('wait for the end').driver.ended ?? new Promise<void>(() => {});
  }

  async disconnect(): Promise<void> {
    const acq = this.acquisition;
    if (!acq) return;
    this.endAssist('the board was disconnected');
    await this.stop();
    if (acq.recording) await this.stopRecording();
    this.lslOutlets.detach();
    const inlets = this.lslMarkerInlets;
    this.lslMarkerInlets = [];
    await Promise.all(inlets.map((i) => i.close()));
    await acq.pipeline?.close();
    await acq.driver.release();
    acq.rawReader.close();
    this.acquisition = undefined;
    this.state = 'idle';
  }

  /** Replaces the pipeline; while streaming it takes effect between two chunks, losing nothing. */
  async setPipeline(input: PipelineInput | unknown): Promise<PipelineDescription> {
    const parsed = pipelineSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('pipeline', parsed.error.issues);
    const pipeline = parsed.data;
    const acq = this.acquisition;
    if (acq) {
      const problems = pipelineProblems(pipeline, acq.descriptor.sampleRateHz, acq.descriptor.channels.length);
      if (problems.length > 0) throw new EngineError('invalid-request', problems.join('; '));
      await acq.pipeline?.setPipeline(pipeline);
    }
    this.pipeline = pipeline;
    return pipeline;
  }

  get currentPipeline(): PipelineDescription {
    return this.pipeline;
  }

  /**
   * Runs a model (its JSON, as in a model file) on the connected board, in the pipeline worker after
   * the filters: a prediction every step, stamped with its window's last sample. A model whose
   * channels or rate do not match the board is refused with a sentence. Replaces any decoder.
   */
  async setDecoder(input: unknown): Promise<DecoderInfo> {
    const parsed = setDecoderRequestSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('setDecoder request', parsed.error.issues);
    const { model, ...options } = parsed.data;
    const acq = this.requireAcquisition('run a decoder');
    const parsedModel = parseModel(model, 'the model');
    const sha256 = createHash('sha256').update(serializeModel(parsedModel), 'utf8').digest('hex');
    return this.runDecoder(acq, parsedModel, options, { path: null, name: 'the model', sha256 });
  }

  /** Runs a model file (a path on this machine) on the connected board; see setDecoder. */
  async loadModel(input: unknown): Promise<DecoderInfo> {
    const parsed = loadModelRequestSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('loadModel request', parsed.error.issues);
    const { path, ...options } = parsed.data;
    const acq = this.requireAcquisition('load a model');
    const model = await readModel(path);
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    return this.runDecoder(acq, model, options, { path, name: basename(path), sha256 });
  }

  /** Stops decoding (nothing happens without a decoder). */
  clearDecoder(): Promise<void> {
    return this.changeDecoder(async () => {
      const acq = this.acquisition;
      if (!acq?.decoder) return;
      this.endAssist('the decoder was stopped');
      await acq.pipeline?.setDecoder(null);
      acq.decoder = undefined;
    });
  }

  private changeDecoder<T>(change: () => Promise<T>): Promise<T> {
    const next = this.decoderChanges.then(change, change);
    this.decoderChanges = next.catch(() => undefined);
    return next;
  }

  /**
   * Trains and cross-validates a decoder on recordings (as `bci train`), writes the model when `out`
   * is given, and answers the report with the model (runnable at once with setDecoder). Needs no
   * board. Training runs on this thread: a calibration's worth of epochs takes about a second.
   */
  async trainModel(input: unknown): Promise<TrainModelResult> {
    const parsed = trainModelRequestSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('trainModel request', parsed.error.issues);
    const { out, ...request } = parsed.data;
    if (out !== undefined) checkNewModelPath(out);
    const report = await trainDecoder(request);
    if (out !== undefined) writeModelFile(out, report.model);
    return {
      model: report.model,
      path: out ?? null,
      cv: report.cv,
      epochs: report.epochs,
      rejected: report.rejected,
      files: report.files.map((f) => ({ name: f.name, sha256: f.sha256, epochs: f.epochs })),
      ...(report.curve && { curve: report.curve }),
    };
  }

  /** The decoder running on the connected board, if any. */
  get currentDecoder(): DecoderInfo | null {
    return this.acquisition?.decoder?.info ?? null;
  }

  private runDecoder(acq: Acquisition, model: ModelFile, options: OnlineDecodingOptions, source: { path: string | null; name: string; sha256: string }): Promise<DecoderInfo> {
    return this.changeDecoder(() => this.startDecoder(acq, model, options, source));
  }

  private async startDecoder(acq: Acquisition, model: ModelFile, options: OnlineDecodingOptions, source: { path: string | null; name: string; sha256: string }): Promise<DecoderInfo> {
    const generation = ++this.decoderGeneration;
    const { spec, info } = await prepareOnlineDecoder(model, options, acq.descriptor, source, generation);
    if (this.acquisition !== acq) throw new EngineError('state', 'the board was disconnected while the model was being loaded');
    try {
      await acq.pipeline?.setDecoder(spec);
    } catch (error) {
      throw new EngineError('internal', `the pipeline worker could not run ${source.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    acq.decoder = new ActiveDecoder(info, generation);
    return info;
  }

  /**
   * Publishes the connected board's streams on LSL (raw, filtered, predictions, markers), each
   * switchable at any time; kept across connections. Refused in one sentence where liblsl is missing.
   */
  setLslOutlets(input: unknown): LslOutletsState {
    const parsed = lslOutletsRequestSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('setLslOutlets request', parsed.error.issues);
    return this.lslOutlets.set(parsed.data);
  }

  get lslOutletsState(): LslOutletsState {
    return this.lslOutlets.state();
  }

  /**
   * Takes the markers of an LSL marker stream (NAME or PROP=VALUE) into the connected board's
   * session: each at its LSL time, through the clock model, into the recording and the pipeline.
   */
  async addLslMarkers(selector: string, timeoutSec = 10): Promise<LslStreamSummary> {
    const acq = this.requireAcquisition('take LSL markers');
    const inlet = await LslMarkerInlet.open(
      selector,
      {
        get accepting() {
          return acq.clock.observationCount >= 2;
        },
        addMarker: (label, hostTimeMs) => {
          try {
            if (this.acquisition !== acq) return;
            // a marker from before the session's first sample has no sample to land on: say so, never bend it to 0
            if (acq.clock.sampleAtTime(hostTimeMs) < -0.5) {
              this.emit('notice', `the LSL marker "${label}" was sent before this session's first sample: not placed`);
              return;
            }
            this.addMarker(label, hostTimeMs);
          } catch (error) {
            this.emit('error', `an LSL marker was not placed: ${failureOf(error).error}`);
          }
        },
        reportError: (message) => this.emit('error', message),
      },
      timeoutSec,
    );
    if (this.acquisition !== acq) {
      await inlet.close();
      throw new EngineError('state', 'the board was disconnected while the LSL marker stream was being opened');
    }
    this.lslMarkerInlets.push(inlet);
    return inlet.stream;
  }

  /** The LSL streams on the network (this machine only where lsl_api.cfg says so), after waiting timeoutSec. */
  async listLslStreams(timeoutSec = 1): Promise<LslStreamSummary[]> {
    const streams = await loadLsl().resolve(timeoutSec);
    return streams.map((s) => ({ name: s.name, type: s.type, hostname: s.hostname, sourceId: s.sourceId, channelCount: s.channelCount, nominalRateHz: s.nominalRateHz, channelFormat: LSL_FORMAT_NAME[s.channelFormat] ?? String(s.channelFormat) }));
  }

  /**
   * Starts assistive control on the decoder running on the connected board (see
   * assistive/session.ts). Starts a recording with the session form when asked and none runs.
   */
  async startAssist(input: unknown): Promise<AssistState> {
    const parsed = startAssistSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('startAssist request', parsed.error.issues);
    const config = parsed.data;
    const acq = this.requireAcquisition('start assistive control');
    if (this.assist && !this.assist.isEnded) throw new EngineError('state', 'an assistive session is already running: end it first');
    const decoder = acq.decoder?.info;
    if (!decoder) throw new EngineError('state', 'no decoder is running: load a model first (the Decoding panel, or --model)');
    // ethics before trials: an assistive session is checked as one (its protocol must allow
    // assistive use, with consent recorded for the subject), whether it starts its own recording
    // (checked there, into its session file) or not (checked here, into the ethics log and the
    // running recording). The protocols are the recording's data folder's (record.dataDir, else dataDir).
    const subject = config.session.subject;
    if (!subject) throw new EngineError('invalid-request', 'an assistive session needs the subject code (consent is recorded for the subject)', [{ path: 'session.subject', message: 'give the subject code' }]);
    let startedRecording = false;
    if (!acq.recording && config.record && config.auditPath === undefined) {
      await this.startRecording({ session: { ...config.session, subject, task: 'assist' }, mode: 'assistive', ...(config.dataDir !== undefined && { dataDir: config.dataDir }), ...config.record });
      startedRecording = true;
    } else {
      const check = this.checkSession('assistive', { ...config.session, subject }, config.record?.dataDir ?? config.dataDir);
      if (acq.recording) this.logSafety(acq, { kind: 'ethics-check', sampleIndex: acq.nextSampleIndex, at: check.at, check }, `ethics: ${check.outcome === 'approved' ? `approved ${check.protocolId} (${check.approval?.approvalNumber ?? ''})` : check.outcome} for assistive use`.slice(0, 100));
    }
    const modelId = decoder.path ? basename(decoder.path) : `${decoder.kind}-${decoder.sha256.slice(0, 12)}`;
    try {
      this.assist = await AssistSession.start(
        {
          descriptor: acq.descriptor,
          decoder,
          onPrediction: (l) => this.on('prediction', l),
          onGap: (l) => this.on('gap', l),
          onRaw: (l) => this.on('raw', l),
          onStatus: (l) => this.on('status', l),
          annotate: (sampleIndex, label) => acq.recording?.addEvent(sampleIndex, label, 0, 'assist'),
          recordingPath: () => acq.recording?.info.path ?? null,
          nextSampleIndex: () => acq.nextSampleIndex,
          linkConnected: () => acq.link === null || acq.link.state === 'connected',
          emitState: (state) => this.emit('assist', state),
          emitError: (message) => this.emit('error', message),
        },
        config,
        { id: modelId, sha256: decoder.sha256 },
      );
    } catch (error) {
      if (startedRecording) await this.stopRecording().catch(() => undefined);
      throw error;
    }
    this.assistStartedRecording = startedRecording;
    return this.assist.state();
  }

  private assistStartedRecording = false;

  /** The running assistive session (for hosts that watch its selections), if any. */
  get assistSession(): AssistSession | undefined {
    return this.assist && !this.assist.isEnded ? this.assist : undefined;
  }

  /** Halts every assistive output at once, until resumeAssist. */
  stopAssist(source = 'api'): AssistState {
    const session = this.assistSession;
    if (!session) throw new EngineError('state', 'no assistive session is running');
    session.stop(source);
    return session.state();
  }

  resumeAssist(source = 'api'): AssistState {
    const session = this.assistSession;
    if (!session) throw new EngineError('state', 'no assistive session is running');
    session.resume(source);
    return session.state();
  }

  /** The single switch of assistive control. */
  assistSwitch(): AssistState {
    const session = this.assistSession;
    if (!session) throw new EngineError('state', 'no assistive session is running');
    session.switchPress();
    return session.state();
  }

  /** Ends the assistive session (its log completed); nothing happens without one. */
  endAssist(reason = 'ended by the operator'): AssistState {
    const session = this.assistSession;
    if (!session) return INACTIVE_ASSIST;
    session.end(reason);
    this.emit('assist', { ...session.state(), active: false });
    if (this.assistStartedRecording && this.acquisition?.recording) {
      this.assistStartedRecording = false;
      void this.stopRecording().catch((error: unknown) => this.emit('error', failureOf(error).error));
    }
    return { ...session.state(), active: false };
  }

  getAssist(): AssistState {
    return this.assistSession?.state() ?? INACTIVE_ASSIST;
  }

  /** Serial ports on this machine, the OpenBCI dongle recognised. */
  async listPorts(): Promise<{ path: string; description: string; openBciDongle: boolean }[]> {
    return (await listSerialPorts()).map((p) => ({ path: p.path, description: p.description, openBciDongle: p.openBciDongle }));
  }

  /** Channel settings of an amplifier (Cyton); the µV scale follows the gain the board confirms. */
  async setChannels(changes: readonly ChannelSettingsChange[]): Promise<AmplifierBoard['channelSettings']> {
    return this.requireAmplifier('change channel settings').setChannels(changes);
  }

  async resetChannels(): Promise<AmplifierBoard['channelSettings']> {
    const amp = this.requireAmplifier('reset channel settings');
    await amp.resetDefaults();
    return amp.channelSettings;
  }

  async registerDump(): Promise<string> {
    return this.requireAmplifier('read the registers').registerDump();
  }

  /** Lead-off impedance per channel (kΩ, good/fair/bad); the board returns to what it was doing. */
  async measureImpedance(channels?: readonly number[]): ReturnType<AmplifierBoard['measureImpedance']> {
    const readings = await this.requireAmplifier('measure impedance').measureImpedance(channels ? { channels } : {});
    const acq = this.acquisition;
    if (acq) {
      acq.impedance = readings;
      acq.alerts?.onImpedance(readings, acq.nextSampleIndex);
    }
    return readings;
  }

  private requireAmplifier(action: string): AmplifierBoard {
    const driver = this.requireAcquisition(action).driver;
    if (!isAmplifier(driver)) throw new EngineError('unsupported', `cannot ${action}: the ${this.acquisition!.descriptor.name} board has no such settings (a Cyton has)`);
    return driver;
  }

  /** A board-specific command (playback: pause, resume, seek S, speed X|max, loop on|off); returns the reply. */
  async configureBoard(command: string): Promise<string> {
    return this.requireAcquisition('configure the board').driver.configure(command);
  }

  /** The playback transport (pause, resume, seek, speed, loop) of a board that has one; answers its state after the command. */
  async controlPlayback(command: PlaybackCommand): Promise<PlaybackState> {
    const driver = this.requireAcquisition('control playback').driver;
    if (!driver.controlPlayback) throw new EngineError('unsupported', `cannot control playback: the ${driver.descriptor.name} board has no playback transport (a recording being played has)`);
    return driver.controlPlayback(command);
  }

  /** Host time (ms, performance.timeOrigin based) of a sample, from the clock model. */
  sampleTimeMs(sampleIndex: number): number {
    return this.requireAcquisition('time a sample').clock.timeOfSample(sampleIndex);
  }

  /**
   * Starts recording the raw samples from now on, BIDS-named in the data folder unless a path is
   * given. The options are validated here, whoever sends them.
   */
  async startRecording(input: RecordingOptionsInput | unknown): Promise<{ path: string }> {
    const acq = this.requireAcquisition('record');
    if (acq.recording) throw new EngineError('state', `already recording to ${acq.recording.info.path}`);
    const parsed = recordingOptionsSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('recording options', parsed.error.issues);
    // ethics before trials: refused here, whoever asks, before any file exists
    const ethics = this.checkSession(parsed.data.mode, parsed.data.session, parsed.data.dataDir);
    // an amplifier's ranges follow its gains: a channel at gain 8 spans ±562 500 µV, not ±187 500;
    // an applied montage gives the labels, types and positions
    const own = isAmplifier(acq.driver) ? acq.driver.currentDescriptor : acq.driver.descriptor;
    const board = acq.montage ? applyMontageTo(own, acq.montage) : own;
    const options = acq.montage ? this.withMontageName(parsed.data, acq.montage) : parsed.data;
    acq.recording = await Recording.start(acq.ring, board, acq.nextSampleIndex, options, (message) => this.emit('error', message), ethics, acq.montage);
    acq.ethics = ethics;
    if (acq.alerts) {
      if (!this.liveRules) this.applyRules(acq, this.siteRules(parsed.data.dataDir));
      acq.alerts.startSession(acq.nextSampleIndex, ethics.approval?.maxSessionMinutes);
    }
    if (acq.impedance) this.logSafety(acq, { kind: 'impedance', sampleIndex: acq.nextSampleIndex, at: new Date().toISOString(), readings: acq.impedance.map((r) => ({ channel: r.channel, label: r.label, kOhm: r.impedanceKOhm, railed: r.railed })) });
    if (acq.impedanceOverride) this.logSafety(acq, { kind: 'impedance-override', sampleIndex: acq.nextSampleIndex, ...acq.impedanceOverride }, overrideLabel(acq.impedanceOverride));
    return { path: acq.recording.info.path };
  }

  /** Faults in the data of the connected board so far (a flood…), each once: for a run's summary. */
  get faults(): readonly string[] {
    return this.acquisition?.faults ?? [];
  }

  /** Why the recording in progress stopped by itself (a full disk…), or null. */
  get recordingError(): string | null {
    return this.acquisition?.recording?.error ?? null;
  }

  /** The site's named montages in a data folder (default: the workstation's). */
  montageStore(dataDir: string = defaultDataDir()): MontageStore {
    return new MontageStore(dataDir);
  }

  /** The montage applied to the connected board, if any. */
  get appliedMontage(): Montage | null {
    return this.acquisition?.montage ?? null;
  }

  /**
   * Applies a saved montage to the connected board (null: back to the board's own labels): the
   * descriptor every client sees takes its labels, types and positions, the pipeline's EEG channels
   * (common average, quality) and the alert rules follow, and recordings started afterwards carry
   * it. Refused while recording (a file keeps the labels it started with), while a decoder runs (it
   * chose its channels by their labels) and when the montage's channel count is not the board's. Hosts broadcast the new snapshot.
   */
  applyMontage(name: string | null, dataDir: string = defaultDataDir()): BoardDescriptor {
    const acq = this.requireAcquisition('apply a montage');
    if (acq.recording) throw new EngineError('state', `a montage cannot be applied while recording to ${basename(acq.recording.info.path)}: stop the recording first (a file keeps the labels it started with)`);
    if (acq.decoder) throw new EngineError('state', `a montage cannot be applied while the ${acq.decoder.info.kind} decoder${acq.decoder.info.path ? ` (${basename(acq.decoder.info.path)})` : ''} runs: stop it first (it chose its channels by the labels it started with)`);
    const montage = name === null ? undefined : this.montageStore(dataDir).get(name);
    const descriptor = montage ? applyMontageTo(acq.driver.descriptor, montage) : acq.driver.descriptor;
    acq.montage = montage;
    acq.descriptor = descriptor;
    acq.pipeline?.setChannelTypes(descriptor.channels.map((c) => c.type));
    acq.alerts?.setChannels(descriptor.channels.map((c) => c.label), descriptor.channels.flatMap((c, i) => (c.type === 'eeg' ? [i] : [])));
    this.lslOutlets.relabel(descriptor);
    this.montageWanted = montage ? { name: montage.name, dataDir } : undefined;
    this.emit('status', this.getStatus());
    return descriptor;
  }

  /** The montage applied last, applied again to the next board connected (when it still fits). */
  private montageWanted: { readonly name: string; readonly dataDir: string } | undefined;

  private reapplyMontage(): void {
    const wanted = this.montageWanted;
    if (!wanted) return;
    try {
      this.applyMontage(wanted.name, wanted.dataDir);
    } catch (error) {
      this.montageWanted = undefined;
      this.emit('notice', `montage "${wanted.name}" was not applied to the ${this.acquisition?.descriptor.name ?? 'board'}: ${failureOf(error).error}`);
    }
  }

  /** The session form with the applied montage's name (a different name typed in the form is said as a notice, not kept). */
  private withMontageName<T extends { session: { montage: string } }>(options: T, montage: Montage): T {
    const typed = options.session.montage.trim();
    if (typed !== '' && typed.toLowerCase() !== montage.name.toLowerCase()) this.emit('notice', `the session form named the montage "${typed}", but montage "${montage.name}" is applied to the board: the recording names "${montage.name}"`);
    return { ...options, session: { ...options.session, montage: montage.name } };
  }

  /** The site's protocols and settings in a data folder (default: the workstation's). */
  siteStore(dataDir: string = defaultDataDir()): SiteStore {
    return new SiteStore(dataDir);
  }

  /**
   * The ethics check before a session (recording, calibration, assistive use): the named protocol
   * exists, is current, allows the mode, and consent is recorded for the subject; plain recordings
   * need a protocol only where the site's requireProtocol says so. Every check, approved or refused,
   * is appended to the data folder's ethics log; a refusal throws an invalid-request EngineError
   * whose message is the one sentence saying what is missing. Hosts and the assistive mode call this.
   */
  checkSession(mode: SessionMode, sessionInput: SessionInput | unknown, dataDir: string = defaultDataDir()): EthicsCheck {
    const parsed = sessionSchema.safeParse(sessionInput);
    if (!parsed.success) throw explainIssues('session', parsed.error.issues);
    const session = parsed.data;
    const store = this.siteStore(dataDir);
    const protocolId = session.protocolId.trim();
    const check = checkEthics({
      mode,
      subject: session.subject,
      protocolId,
      protocol: protocolId === '' ? undefined : store.protocol(protocolId),
      consentObtained: session.consentObtained,
      consentTime: session.consentTime,
      requireProtocol: store.settings().requireProtocol,
      nowMs: Date.now(),
    });
    // the site's log keeps every check that involved a protocol (a bench recording without one has its check in its session file only)
    let logError: string | undefined;
    if (check.outcome !== 'not-required') {
      try {
        store.logCheck(check);
      } catch (error) {
        logError = error instanceof Error ? error.message : String(error);
      }
    }
    if (check.outcome === 'refused') {
      const field = check.items.find((i) => !i.ok)?.item === 'consent' ? 'session.consentObtained' : 'session.protocolId';
      throw new EngineError('invalid-request', check.sentence, [{ path: field, message: check.sentence }]);
    }
    // an approval that cannot be logged is not an approval: refuse, saying why
    if (logError !== undefined) throw new EngineError('io', `cannot write the ethics log in ${dataDir} (${logError}): choose a data folder you can write to`);
    return check;
  }

  /** The alert rules of a data folder's site settings (the defaults when it has none or they cannot be read: said as a notice). */
  private siteRules(dataDir: string = defaultDataDir()): AlertRules {
    try {
      return this.siteStore(dataDir).settings().alerts;
    } catch (error) {
      this.emit('notice', `the default alert rules are in use: ${error instanceof Error ? error.message : String(error)}`);
      return DEFAULT_ALERT_RULES;
    }
  }

  private applyRules(acq: Acquisition, rules: AlertRules): void {
    if (!acq.alerts) return;
    acq.alerts.rules = rules;
    acq.pipeline?.setQualityThresholds({ artefactUv: rules.artefactUv });
  }

  /**
   * Changes the alert rules (the operator's adjustment, a partial change; `dataDir`: whose site
   * settings keep them, default the workstation's data folder): validated as a whole, saved in the
   * folder's settings.json (so the next session starts with them), then in force at once. Nothing
   * changes when they cannot be saved. Answers the rules now in force.
   */
  setAlertRules(input: unknown): AlertRules {
    const { dataDir, ...change } = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const folder = typeof dataDir === 'string' && dataDir !== '' ? dataDir : defaultDataDir();
    const base = this.liveRules ?? this.acquisition?.alerts?.rules ?? this.siteRules(folder);
    const parsed = alertRulesSchema.safeParse({ ...base, ...change });
    if (!parsed.success) throw explainIssues('alert rules', parsed.error.issues);
    try {
      this.siteStore(folder).updateSettings({ alerts: parsed.data });
    } catch (error) {
      if (error instanceof EngineError) throw error;
      throw new EngineError('io', `the alert rules were not changed: cannot save them in ${folder} (${error instanceof Error ? error.message : String(error)}): choose a data folder you can write to`);
    }
    this.liveRules = parsed.data;
    if (this.acquisition) this.applyRules(this.acquisition, parsed.data);
    return parsed.data;
  }

  /** The alert rules in force: the operator's, else the connected board's (its site's at connection or at the recording's start), else the default data folder's. */
  get alertRules(): AlertRules {
    return this.liveRules ?? this.acquisition?.alerts?.rules ?? this.siteRules();
  }

  /** A data folder's site settings (requireProtocol), with the alert rules in force (the folder's own when none are yet). */
  getSiteSettings(dataDir: string = defaultDataDir()): { dataDir: string; requireProtocol: boolean; alerts: AlertRules } {
    const settings = this.siteStore(dataDir).settings();
    return { dataDir, requireProtocol: settings.requireProtocol, alerts: this.liveRules ?? this.acquisition?.alerts?.rules ?? settings.alerts };
  }

  private raiseAlert(acq: Acquisition, partial: Omit<Alert, 'id' | 'raisedAt' | 'acknowledged'>): void {
    const alert: Alert = { id: this.nextAlertId++, raisedAt: new Date().toISOString(), acknowledged: null, ...partial };
    this.alertLog.push(alert);
    if (this.alertLog.length > 1000) this.alertLog.shift();
    this.logSafety(acq, { kind: 'alert', sampleIndex: alert.sampleIndex, at: alert.raisedAt, alert: { ...alert } }, `alert #${alert.id}: ${alert.rule}${alert.channel ? ` ${alert.channel}` : ''}`);
    this.emit('alert', alert);
  }

  private logSafety(acq: Acquisition, entry: Parameters<Recording['logSafety']>[0], label?: string): void {
    try {
      acq.recording?.logSafety(entry, label);
    } catch (error) {
      this.emit('error', `could not log ${entry.kind} in the session file: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Every alert still to acknowledge, then the acknowledged ones (newest first). */
  getAlerts(): Alert[] {
    return [...this.alertLog].reverse().sort((a, b) => Number(a.acknowledged !== null) - Number(b.acknowledged !== null));
  }

  /** Acknowledges an alert (who, and a note); logged with the recording. Acknowledging twice is refused. */
  acknowledgeAlert(input: unknown): Alert {
    const parsed = acknowledgeAlertSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('acknowledgement', parsed.error.issues);
    const alert = this.alertLog.find((a) => a.id === parsed.data.id);
    if (!alert) throw new EngineError('not-found', `there is no alert #${parsed.data.id}`);
    if (alert.acknowledged) throw new EngineError('state', `alert #${alert.id} was already acknowledged at ${alert.acknowledged.at}`);
    alert.acknowledged = { at: new Date().toISOString(), by: parsed.data.by, note: parsed.data.note };
    const acq = this.acquisition;
    if (acq) this.logSafety(acq, { kind: 'alert-ack', sampleIndex: acq.nextSampleIndex, at: alert.acknowledged.at, id: alert.id, by: alert.acknowledged.by, note: alert.acknowledged.note }, `alert #${alert.id} acknowledged`);
    this.emit('alert', alert);
    return alert;
  }

  /** The latest second of signal quality per channel. */
  getQuality(): QualitySummary | null {
    return this.acquisition?.quality ?? null;
  }

  /** The pre-session checklist (nothing is logged: the ethics item is a dry run of the check startRecording makes). */
  getChecklist(request: { mode?: SessionMode; session?: unknown; dataDir?: string; plannedMinutes?: number; powerLineHz?: 50 | 60 } = {}): { items: ChecklistItem[]; ready: boolean; red: string[] } {
    const dataDir = request.dataDir ?? defaultDataDir();
    const store = this.siteStore(dataDir);
    let session;
    if (request.session !== undefined) {
      const parsed = sessionSchema.safeParse(request.session);
      if (!parsed.success) throw explainIssues('session', parsed.error.issues);
      session = parsed.data;
    }
    const protocolId = session?.protocolId.trim() ?? '';
    const items = computeChecklist({
      state: this.state,
      acq: this.acquisition,
      mode: request.mode ?? 'recording',
      session,
      protocol: protocolId === '' ? undefined : store.protocol(protocolId),
      requireProtocol: store.settings().requireProtocol,
      rules: this.alertRules,
      dataDir,
      plannedMinutes: request.plannedMinutes ?? 30,
      powerLineHz: request.powerLineHz,
    });
    const red = items.filter((i) => !i.ok).map((i) => i.title);
    return { items, ready: red.length === 0, red };
  }

  /** Accepts the impedance of channels (1-based) over the threshold for this connection, with a written reason; logged with the recording (now, or when it starts). */
  overrideImpedance(channels: readonly number[], reason: string): { channels: number[]; reason: string } {
    const acq = this.requireAmplifierAcquisition('override the impedance');
    const trimmed = reason.trim();
    if (trimmed.length < 10) throw new EngineError('invalid-request', 'an impedance override needs a written reason (at least 10 characters)', [{ path: 'reason', message: 'too short' }]);
    const count = acq.descriptor.channels.length;
    const bad = channels.filter((c) => c < 1 || c > count);
    if (bad.length > 0) throw new EngineError('invalid-request', `channel ${bad[0]} does not exist on the ${acq.descriptor.name} (1-${count})`);
    acq.impedanceOverride = { channels: [...new Set(channels)].sort((a, b) => a - b), reason: trimmed, at: new Date().toISOString() };
    this.logSafety(acq, { kind: 'impedance-override', sampleIndex: acq.nextSampleIndex, at: acq.impedanceOverride.at, channels: acq.impedanceOverride.channels, reason: trimmed }, overrideLabel(acq.impedanceOverride));
    return { channels: acq.impedanceOverride.channels, reason: trimmed };
  }

  private requireAmplifierAcquisition(action: string): Acquisition {
    this.requireAmplifier(action);
    return this.acquisition!;
  }

  /** Free space where the recording goes, every 5 s while recording. */
  private checkDisk(): void {
    const acq = this.acquisition;
    if (!acq?.recording || !acq.alerts) return;
    const now = hostNowMs();
    if (now - this.lastDiskCheckMs < 5000) return;
    this.lastDiskCheckMs = now;
    try {
      const folder = dirname(acq.recording.info.path);
      const stats = statfsSync(folder);
      acq.alerts.onDisk((stats.bavail * stats.bsize) / 1e6, folder, acq.nextSampleIndex);
    } catch {
      // statfs can fail on exotic file systems; the recorder itself reports a full disk
    }
  }

  /** Stops recording: every sample received so far is written, the file completed and checksummed. */
  async stopRecording(): Promise<RecordingResult> {
    const acq = this.requireAcquisition('stop recording');
    const recording = acq.recording;
    if (!recording) throw new EngineError('state', 'not recording');
    acq.recording = undefined;
    acq.alerts?.endSession();
    return recording.stop(acq.nextSampleIndex, describePipeline(this.pipeline, acq.descriptor.channels.map((c) => c.type)));
  }

  /**
   * A marker from the user (UI, hotkey, network, a cue paradigm), stamped in host time (now by
   * default, or the moment the client gives: the frame that drew a cue) and mapped to a sample
   * through the clock model. A time that is not finite or lies more than 10 minutes from the
   * engine's own clock is refused: it was not taken with `performance.timeOrigin + performance.now()`.
   */
  addMarker(label: string, hostTimeMs: number = hostNowMs(), source: 'user' | 'udp' = 'user'): MarkerEvent {
    const acq = this.requireAcquisition('add a marker');
    const offsetMs = hostTimeMs - hostNowMs();
    if (!Number.isFinite(hostTimeMs) || Math.abs(offsetMs) > MARKER_TIME_TOLERANCE_MS) {
      const message = Number.isFinite(hostTimeMs)
        ? `the marker's time is ${formatOffset(offsetMs)} the engine's clock (more than ${MARKER_TIME_TOLERANCE_MS / 60_000} minutes): stamp it with performance.timeOrigin + performance.now() on this machine, or leave hostTimeMs out to stamp it on arrival`
        : `the marker's time must be a finite number of milliseconds (performance.timeOrigin + performance.now()), or left out to stamp it on arrival`;
      throw new EngineError('invalid-request', message, [{ path: 'hostTimeMs', message }]);
    }
    const event: MarkerEvent = { sampleIndex: Math.max(0, Math.round(acq.clock.sampleAtTime(hostTimeMs))), label, source, hostTimeMs };
    acq.recording?.addEvent(event.sampleIndex, label, 0, 'marker');
    // a board with a marker channel of its own (BrainFlow) gets it too: one marker, both places
    if (this.state === 'streaming' && acq.driver.insertMarker) {
      try {
        acq.driver.insertMarker(label);
      } catch (error) {
        // the marker is in the recording and sent on; only the board's copy is missing: say so
        this.emit('error', `the marker "${label}" is recorded, but the board did not take it: ${failureOf(error).error}`);
      }
    }
    this.emit('marker', event);
    return event;
  }

  /**
   * Opens the UDP marker port on loopback (default 12350, the OpenBCI GUI's): each datagram's text
   * is a marker stamped at its arrival. Markers arriving with no board streaming are dropped with a
   * notice (there is no sample to put them on).
   */
  async openMarkerPort(port: number = DEFAULT_MARKER_PORT): Promise<MarkerPortInfo> {
    if (this.markerPort) {
      if (this.markerPort.port === port || port === 0) return this.markerPort.info;
      await this.closeMarkerPort();
    }
    this.markerPort = await UdpMarkerPort.open(
      port,
      (label, arrivalMs) => {
        if (!this.acquisition) {
          this.emit('notice', `a UDP marker "${label.slice(0, 40)}" arrived with no board connected and was not recorded`);
          return;
        }
        this.addMarker(label, arrivalMs, 'udp');
      },
      (message) => this.emit('notice', message),
      hostNowMs,
    );
    return this.markerPort.info;
  }

  async closeMarkerPort(): Promise<void> {
    const port = this.markerPort;
    this.markerPort = undefined;
    await port?.close();
  }

  get markerPortInfo(): MarkerPortInfo | null {
    return this.markerPort?.info ?? null;
  }

  getStatus(): EngineStatus {
    return assembleStatus(this.state, this.acquisition, describePipeline(this.pipeline, this.acquisition?.descriptor.channels.map((c) => c.type)), this.lastError, this.notices);
  }

  /**
   * Completes the recordings a crash or a power loss left unfinished in the data folder (every host
   * calls this at start). Each outcome is a notice: in the status, as a notice event, and returned.
   */
  recoverUnfinished(dataDir: string = defaultDataDir()): string[] {
    const { recovered, failed } = recoverUnfinished(dataDir);
    const lines = [
      ...recovered.map((r) => `recovered an unfinished recording: ${describeRepair(r)}`),
      ...failed.map((f) => `could not recover ${f.path}: ${f.reason}`),
    ];
    for (const line of lines) {
      this.notices.push(line);
      this.emit('notice', line);
    }
    return lines;
  }

  /** The recordings library of a data folder (default: the workstation's). */
  readonly library = new RecordingsLibrary();

  listRecordings(dataDir: string = defaultDataDir()): Promise<LibraryListing> {
    return this.library.list(dataDir, this.acquisition?.recording?.info.path);
  }

  verifyRecording(path: string, dataDir: string = defaultDataDir()): Promise<LibraryEntry> {
    return this.library.verify(path, resolve(dataDir), this.acquisition?.recording?.info.path);
  }

  recordingSidecars(path: string): Promise<SidecarText[]> {
    return this.library.sidecars(path);
  }

  /** Completes an unfinished recording from the library; the outcome is also a notice. */
  async repairRecording(path: string, dataDir: string = defaultDataDir()): Promise<{ message: string; entry: LibraryEntry | null }> {
    // repair truncates and rewrites: never under the board that is playing the file
    const playing = this.getStatus().playback?.file;
    if (playing !== undefined && resolve(playing) === resolve(path)) throw new EngineError('state', `${basename(path)} is being played now: close it (disconnect) before repairing it`);
    const outcome = await this.library.repair(path, resolve(dataDir), this.acquisition?.recording?.info.path);
    this.notices.push(outcome.message);
    this.emit('notice', outcome.message);
    return outcome;
  }

  async dispose(): Promise<void> {
    await this.closeMarkerPort();
    await this.disconnect();
    for (const emitter of Object.values(this.emitters)) emitter.clear();
  }

  private requireAcquisition(action: string): Acquisition {
    if (!this.acquisition) throw new EngineError('state', `cannot ${action}: no board is connected (connect one first)`);
    return this.acquisition;
  }
}
