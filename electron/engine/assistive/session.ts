// An assistive session on a connected board: the decoder's predictions drive the selector
// (common/assistive/selector.ts) behind the signal-quality gate; each selection, stop and resume
// goes to the output devices and into the hash-chained audit log (with every delivery's outcome,
// gate suspensions and resumptions), and as an annotation into the recording. Stop is synchronous:
// once stop() returns, no selection can be sent until resume(). The engine hosts one session at a time.

import { basename } from 'node:path';
import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import type { DecoderInfo } from '../../common/contract/decoding.js';
import type { EngineStatus } from '../../common/contract/status.js';
import { EngineError } from '../../common/contract/failure.js';
import { describeEndpoint, type AssistConfig, type AssistMessage, type AssistState } from '../../common/contract/assistive.js';
import { Selector, selectorConfigProblems, type Selection, type SelectorConfig, type SelectorEvent } from '../../common/assistive/selector.js';
import { QualityGate } from '../../common/assistive/quality-gate.js';
import { ChannelQualityMeter } from '../../common/assistive/channel-quality.js';
import type { Disposable } from '../../common/disposable.js';
import { AuditLog } from './audit-log.js';
import { OutputHub, type DeliveryOutcome } from './outputs.js';
import type { GapEvent, PredictionEvent, RawChunk } from '../engine-events.js';

/** What a session needs of the engine (the engine builds this over its acquisition). */
export interface AssistEngine {
  readonly descriptor: BoardDescriptor;
  readonly decoder: DecoderInfo;
  onPrediction(listener: (p: PredictionEvent) => void): Disposable;
  onGap(listener: (g: GapEvent) => void): Disposable;
  onRaw(listener: (chunk: RawChunk) => void): Disposable;
  onStatus(listener: (s: EngineStatus) => void): Disposable;
  /** Writes an annotation into the recording in progress (if any). */
  annotate(sampleIndex: number, label: string): void;
  recordingPath(): string | null;
  /** The next sample index the board will fill (where a switch press or a stop lands). */
  nextSampleIndex(): number;
  linkConnected(): boolean;
  emitState(state: AssistState): void;
  emitError(message: string): void;
}

const NO_CONTROL = /^(rest|t0|idle|none|baseline)$/i;

/** The selector's configuration for a decoder: which class selects which target. */
export function selectorConfigFor(config: AssistConfig, decoder: DecoderInfo): SelectorConfig {
  const classes = decoder.classes;
  const classIndex = (name: string, what: string): number => {
    const k = classes.indexOf(name);
    if (k < 0) throw new EngineError('invalid-request', `${what} "${name}" is not a class of the model (its classes: ${classes.join(', ')})`);
    return k;
  };
  const controlClasses = classes.filter((c) => !NO_CONTROL.test(c));
  const classTargets = new Array<number>(classes.length).fill(-1);
  let selectClass = -1;
  if (config.scheme === 'scanning') {
    selectClass = classIndex(config.selectClass ?? controlClasses[0] ?? classes[0], 'the select class');
  } else {
    const names = config.targetClasses ?? controlClasses;
    if (names.length !== config.targets.length) {
      throw new EngineError(
        'invalid-request',
        `the model has ${controlClasses.length} classes to select with (${controlClasses.join(', ')}) for ${config.targets.length} targets: give as many targets, or name each target's class`,
      );
    }
    names.forEach((name, target) => (classTargets[classIndex(name, 'the class')] = target));
  }
  const selector: SelectorConfig = {
    scheme: config.scheme,
    targets: config.targets,
    classes,
    classTargets,
    selectClass,
    thresholdProb: config.thresholdProb,
    dwellSec: config.dwellSec,
    refractorySec: config.refractorySec,
    confirmSec: config.confirmSec,
    scanStepSec: config.scanStepSec,
    sampleRateHz: decoder.sampleRateHz,
    stepRows: decoder.stepRows,
  };
  const problems = selectorConfigProblems(selector);
  if (problems.length > 0) throw new EngineError('invalid-request', problems.join('; '));
  return selector;
}

/** The audit log beside a recording: `…_eeg.bdf` → `…_assist.jsonl`. */
export function auditPathBeside(recordingPath: string): string {
  return recordingPath.replace(/(_eeg)?\.(bdf|edf)$/i, '') + '_assist.jsonl';
}

export interface SelectionRecord extends Selection {
  readonly seq: number;
  /** Host time (ms, performance.timeOrigin based) when it was handed to the outputs. */
  readonly sentAtMs: number;
  /** Host time (ms, performance.timeOrigin based) the window's last sample was pushed by the board. */
  readonly windowPushedAtMs: number;
  /** From the push of the window's last sample to the selection leaving for the outputs (ms). */
  readonly latencyMs: number;
}

export class AssistSession {
  readonly selector: Selector;
  private readonly gate: QualityGate;
  private readonly meter: ChannelQualityMeter;
  private readonly subscriptions: Disposable[] = [];
  private readonly outputs: OutputHub;
  private seq = 0;
  private selectionCount = 0;
  private lastSelection: AssistState['lastSelection'] = null;
  private suspendedReason: string | null = null;
  private lastIndex = 0;
  private ended = false;
  private readonly selectionListeners: ((s: SelectionRecord) => void)[] = [];

  private constructor(
    private readonly engine: AssistEngine,
    readonly config: AssistConfig,
    selectorConfig: SelectorConfig,
    readonly audit: AuditLog,
  ) {
    this.selector = new Selector(selectorConfig);
    const d = engine.decoder;
    this.gate = new QualityGate({ usedChannels: d.channels, sampleRateHz: d.sampleRateHz, windowRows: d.windowRows, resumeAfterSec: config.quality.resumeAfterSec });
    const channels = engine.descriptor.channels;
    this.meter = new ChannelQualityMeter({
      labels: channels.map((c) => c.label),
      rangeUv: channels.map((c) => (c.unit === 'uV' ? Math.max(Math.abs(c.physicalMin), Math.abs(c.physicalMax)) : 0)),
      judged: channels.map((c) => c.type === 'eeg' && d.channels.includes(c.label)),
      sampleRateHz: engine.descriptor.sampleRateHz,
      flatUv: config.quality.flatUv,
      noisyUv: config.quality.noisyUv,
    });
    this.outputs = new OutputHub(config.outputs);
  }

  /**
   * Starts a session: the decoder running on the board drives it. The audit log is created
   * (beside the recording unless a path is given) and its first entry says who, for whom, with
   * which model and settings.
   */
  static async start(engine: AssistEngine, config: AssistConfig, model: { id: string; sha256: string }): Promise<AssistSession> {
    const selectorConfig = selectorConfigFor(config, engine.decoder);
    const recording = engine.recordingPath();
    const auditPath = config.auditPath ?? (recording ? auditPathBeside(recording) : undefined);
    if (auditPath === undefined) throw new EngineError('state', 'an assistive session is recorded: start a recording first (or give the audit log a path)');
    const s = config.session;
    const audit = AuditLog.create(auditPath, {
      operator: s.operator ?? '',
      subject: s.subject ?? '',
      protocolId: s.protocolId ?? '',
      modelId: model.id,
      modelSha256: model.sha256,
    });
    const session = new AssistSession(engine, config, selectorConfig, audit);
    await session.outputs.ready();
    const d = engine.decoder;
    session.lastIndex = engine.nextSampleIndex();
    session.log('session-start', session.lastIndex, {
      board: engine.descriptor.id,
      recording: recording ? basename(recording) : null,
      scheme: config.scheme,
      targets: config.targets,
      classes: d.classes,
      classTargets: selectorConfig.classTargets,
      selectClass: selectorConfig.selectClass >= 0 ? d.classes[selectorConfig.selectClass] : null,
      thresholdProb: config.thresholdProb,
      dwellSec: config.dwellSec,
      refractorySec: config.refractorySec,
      confirmSec: config.confirmSec,
      scanStepSec: config.scheme === 'scanning' ? config.scanStepSec : null,
      decoder: { kind: d.kind, channels: d.channels, windowRows: d.windowRows, stepRows: d.stepRows, sampleRateHz: d.sampleRateHz, path: d.path },
      outputs: config.outputs.map(describeEndpoint),
    });
    engine.annotate(session.lastIndex, `assist: session start (${config.scheme}; ${config.targets.map((t) => t.label).join(', ')})`);
    session.subscribe();
    session.refreshGate(session.lastIndex);
    session.publish();
    return session;
  }

  get path(): string {
    return this.audit.path;
  }

  /** Called with every selection (after it was handed to the outputs). */
  onSelection(listener: (s: SelectionRecord) => void): void {
    this.selectionListeners.push(listener);
  }

  private subscribe(): void {
    const e = this.engine;
    this.subscriptions.push(
      e.onPrediction((p) => this.onPredictions(p)),
      e.onGap((g) => {
        this.gate.reportGap(g.sampleIndex, g.lostRows);
        this.meter.reset();
        this.refreshGate(g.sampleIndex);
        this.publish();
      }),
      e.onRaw((chunk) => {
        if (chunk.lostRows > 0) this.meter.reset();
        this.meter.push(chunk.data, chunk.rowCount, chunk.firstSampleIndex, (summary) => {
          this.gate.setQuality(summary);
          if (this.refreshGate(summary.sampleIndex)) this.publish();
        });
      }),
      e.onStatus(() => {
        const connected = e.linkConnected();
        this.gate.setLink(connected, this.lastIndex);
        if (this.refreshGate(this.lastIndex)) this.publish();
      }),
    );
  }

  /** Asks the gate; logs and annotates a change. Answers whether the suspension changed. */
  private refreshGate(sampleIndex: number): boolean {
    const reason = this.gate.reason(sampleIndex);
    if (reason === this.suspendedReason) return false;
    const was = this.suspendedReason;
    this.suspendedReason = reason;
    this.selector.setSuspended(reason);
    if (reason !== null) {
      this.log('suspended', sampleIndex, { reason });
      this.engine.annotate(sampleIndex, `assist: suspended: ${reason}`);
    } else {
      this.log('unsuspended', sampleIndex, { after: was });
      this.engine.annotate(sampleIndex, 'assist: signal good again, selections resume');
    }
    return true;
  }

  /**
   * Feeds a gate from another quality monitor (e.g. the safety monitor): its summary counts as
   * this session's own.
   */
  setQuality(summary: Parameters<QualityGate['setQuality']>[0]): void {
    this.gate.setQuality(summary);
    if (this.refreshGate(summary.sampleIndex)) this.publish();
  }

  private onPredictions(p: PredictionEvent): void {
    if (this.ended) return;
    const K = p.classes.length;
    for (let i = 0; i < p.count; i++) {
      const sampleIndex = p.firstSampleIndex + i * p.strideRows;
      this.lastIndex = sampleIndex;
      this.refreshGate(sampleIndex);
      const events = this.selector.update(sampleIndex, p.probabilities, i * K);
      // the window's last sample was pushed latencyMs before the chunk left the worker (the hop
      // from the worker to this thread counts too)
      for (const event of events) this.handle(event, p.postedAtMs - p.latencyMs[i]);
    }
    this.publish();
  }

  /** windowPushedAtMs: when the window's last sample was pushed (NaN for a switch press). */
  private handle(event: SelectorEvent, windowPushedAtMs: number): void {
    switch (event.type) {
      case 'selection':
        this.select(event.selection, windowPushedAtMs);
        break;
      case 'confirm-requested':
        this.log('confirm-requested', event.sampleIndex, { target: event.label });
        this.engine.annotate(event.sampleIndex, `assist: confirm ${event.label}?`);
        break;
      case 'confirm-cancelled':
        this.log('confirm-cancelled', event.sampleIndex, { target: event.label, reason: event.reason });
        break;
    }
  }

  private select(selection: Selection, windowPushedAtMs: number): void {
    const seq = ++this.seq;
    const message: AssistMessage = {
      type: 'selection',
      seq,
      target: selection.label,
      index: selection.target,
      sampleIndex: selection.sampleIndex,
      probability: Number.isFinite(selection.probability) ? selection.probability : null,
      time: new Date().toISOString(),
    };
    const sentAtMs = performance.timeOrigin + performance.now();
    this.outputs.send(message, (o) => this.delivered(seq, 'selection', o));
    this.selectionCount++;
    this.lastSelection = { target: selection.target, label: selection.label, sampleIndex: selection.sampleIndex, probability: selection.probability, via: selection.via, seq };
    const d = this.engine.decoder;
    this.log('selection', selection.sampleIndex, {
      msgSeq: seq,
      target: selection.label,
      targetIndex: selection.target,
      via: selection.via,
      probability: Number.isFinite(selection.probability) ? selection.probability : null,
      probabilities: Object.fromEntries(d.classes.map((c, k) => [c, Number.isFinite(selection.probabilities[k]) ? selection.probabilities[k] : null])),
      window: { firstSampleIndex: selection.sampleIndex - d.windowRows + 1, lastSampleIndex: selection.sampleIndex },
      dwellStartSampleIndex: selection.dwellStartSampleIndex,
      thresholdProb: selection.thresholdProb,
      dwellSec: selection.dwellSec,
      refractorySec: selection.refractorySec,
    });
    this.engine.annotate(selection.sampleIndex, `assist: selected ${selection.label}`);
    const record: SelectionRecord = { ...selection, seq, sentAtMs, windowPushedAtMs, latencyMs: Number.isFinite(windowPushedAtMs) ? sentAtMs - windowPushedAtMs : 0 };
    for (const l of this.selectionListeners) l(record);
  }

  private delivered(seq: number, of: string, o: DeliveryOutcome): void {
    if (this.ended) {
      // the log is closed: the outcome still reaches the screen
      if (!o.ok) this.engine.emitError(`assistive output ${o.endpoint}: ${of} ${seq} was not delivered: ${o.error}`);
      return;
    }
    this.log('delivery', null, { msgSeq: seq, of, endpoint: o.endpoint, ok: o.ok, error: o.error });
    if (!o.ok) this.engine.emitError(`assistive output ${o.endpoint}: ${of} ${seq} was not delivered: ${o.error}`);
    this.publish();
  }

  /** Halts every output at once and holds until resume (a stop message goes to every device). */
  stop(source: string): void {
    if (this.ended) return;
    this.selector.stop();
    const sampleIndex = this.engine.nextSampleIndex();
    if (!this.stoppedLogged) {
      const seq = ++this.seq;
      this.outputs.send({ type: 'stop', seq, sampleIndex, time: new Date().toISOString(), source }, (o) => this.delivered(seq, 'stop', o));
      this.stoppedLogged = true;
      // the stop messages leave first; the log's write and fsync follow on the next turn (or
      // before any later entry, whichever comes first: the log keeps its order)
      this.pending.push(() => {
        this.log('stop', sampleIndex, { msgSeq: seq, source });
        this.engine.annotate(sampleIndex, `assist: STOP (${source})`);
      });
      setImmediate(() => this.flushPending());
    }
    this.publish();
  }

  private stoppedLogged = false;
  private pending: (() => void)[] = [];

  private flushPending(): void {
    if (this.pending.length === 0) return;
    const work = this.pending;
    this.pending = [];
    for (const w of work) w();
  }

  resume(source: string): void {
    if (this.ended || !this.selector.isStopped) return;
    this.selector.resume();
    this.stoppedLogged = false;
    const sampleIndex = this.engine.nextSampleIndex();
    const seq = ++this.seq;
    this.outputs.send({ type: 'resume', seq, sampleIndex, time: new Date().toISOString(), source }, (o) => this.delivered(seq, 'resume', o));
    this.log('resume', sampleIndex, { msgSeq: seq, source });
    this.engine.annotate(sampleIndex, `assist: resume (${source})`);
    this.publish();
  }

  /** The single switch (scanning: pick the highlighted target; a critical target: confirm it). */
  switchPress(): void {
    if (this.ended) return;
    const sampleIndex = this.engine.nextSampleIndex();
    this.log('switch', sampleIndex, {});
    for (const event of this.selector.switchPress(sampleIndex)) this.handle(event, Number.NaN);
    this.publish();
  }

  /** Ends the session: outputs closed, the log's last entry written. */
  end(reason: string): void {
    if (this.ended) return;
    this.selector.stop();
    for (const s of this.subscriptions) s.dispose();
    this.flushPending();
    this.log('session-end', this.engine.nextSampleIndex(), { reason, selections: this.selectionCount, outputs: this.outputs.status() });
    this.engine.annotate(this.engine.nextSampleIndex(), `assist: session end (${this.selectionCount} selections)`);
    this.ended = true;
    this.outputs.close();
    this.audit.close();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  state(): AssistState {
    const c = this.config;
    return {
      active: !this.ended,
      scheme: c.scheme,
      targets: c.targets,
      classes: this.engine.decoder.classes,
      thresholdProb: c.thresholdProb,
      dwellSec: c.dwellSec,
      refractorySec: c.refractorySec,
      view: this.selector.view(),
      stopped: this.selector.isStopped,
      selections: this.selectionCount,
      lastSelection: this.lastSelection,
      outputs: this.outputs.status(),
      auditLog: this.audit.path,
      recording: this.engine.recordingPath(),
      ssvep: c.ssvep ?? null,
    };
  }

  private publish(): void {
    this.engine.emitState(this.state());
  }

  private log(type: string, sampleIndex: number | null, fields: Record<string, unknown>): void {
    this.flushPending();
    try {
      this.audit.append(type, sampleIndex, fields);
    } catch (error) {
      // an audit log that cannot be written stops the session's outputs: nothing unlogged goes out
      this.selector.stop();
      this.engine.emitError(`${error instanceof Error ? error.message : String(error)}: assistive outputs are stopped`);
    }
  }
}
