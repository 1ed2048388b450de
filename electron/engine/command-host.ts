// The command host: the one place where the control plane meets the engine, shared by every host
// (Electron main, `bci serve`). It validates each command against the contract, calls the
// engine, and fans the engine's streams out to attached clients: JSON events, and binary frames
// (raw and filtered samples, a decoder's predictions) for the streams each client asked for. Hosts
// only move bytes.

import type { Engine } from './engine.js';
import type { Disposable } from '../common/disposable.js';
import { DisposableStore } from '../common/disposable.js';
import { parseCommand, type CommandName, type CommandOutcome, type CommandPayload, type CommandResults, type EngineEvent, type EngineSnapshot } from '../common/contract/commands.js';
import { EngineError, failureOf } from '../common/contract/failure.js';
import { encodeFrame, type FrameKindName } from '../common/contract/frames.js';

/** A connected renderer, seen from the host. */
export interface ClientSink {
  sendEvent(event: EngineEvent): void;
  /** A binary frame (see contract/frames.ts); the sink may transfer the buffer. */
  sendFrame(frame: ArrayBuffer): void;
}

type CommandHandlers = {
  readonly [K in CommandName]: (payload: CommandPayload<K>, client: ClientSink | undefined) => CommandResults[K] | Promise<CommandResults[K]>;
};

interface ClientState {
  readonly sink: ClientSink;
  raw: boolean;
  filtered: boolean;
  predictions: boolean;
}

export class CommandHost implements Disposable {
  private readonly clients = new Set<ClientState>();
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly engine: Engine) {
    this.subscriptions.add(engine.on('status', (status) => this.broadcast({ type: 'status', status })));
    this.subscriptions.add(engine.on('marker', (marker) => this.broadcast({ type: 'marker', marker })));
    this.subscriptions.add(engine.on('error', (message) => this.broadcast({ type: 'error', message })));
    this.subscriptions.add(engine.on('notice', (message) => this.broadcast({ type: 'notice', message })));
    this.subscriptions.add(engine.on('assist', (state) => this.broadcast({ type: 'assist', state })));
    this.subscriptions.add(engine.on('alert', (alert) => this.broadcast({ type: 'alert', alert })));
    this.subscriptions.add(engine.on('quality', (quality) => this.broadcast({ type: 'quality', quality })));
    this.subscriptions.add(
      engine.on('filtered', (chunk) => this.fanOut('filtered', chunk)),
    );
    this.subscriptions.add(
      engine.on('prediction', (p) =>
        this.fanOut('predictions', { kind: 'prediction', firstSampleIndex: p.firstSampleIndex, rowCount: p.count, channelCount: p.classes.length, data: p.probabilities, lostRows: 0, strideRows: p.strideRows }),
      ),
    );
  }

  /** Attaches a client; it gets the engine snapshot at once, then events, filtered frames and prediction frames. */
  attach(sink: ClientSink): Disposable {
    const state: ClientState = { sink, raw: false, filtered: true, predictions: true };
    this.clients.add(state);
    this.updateRawSubscription();
    sink.sendEvent({ type: 'snapshot', snapshot: this.snapshot() });
    return {
      dispose: () => {
        this.clients.delete(state);
        this.updateRawSubscription();
      },
    };
  }

  /**
   * Runs one command from a client. Never throws: a refused or failed command comes back as a
   * Failure (its kind, one line for the user, the fields at fault).
   */
  async handle(client: ClientSink | undefined, name: string, payload: unknown): Promise<CommandOutcome> {
    const parsed = parseCommand(name, payload);
    if (!parsed.ok) return parsed;
    // the payload was validated against this command's schema just above
    const handler = this.handlers[parsed.name] as (payload: unknown, client: ClientSink | undefined) => Promise<unknown> | unknown;
    try {
      return { ok: true, result: await handler(parsed.payload, client) };
    } catch (error) {
      return failureOf(error);
    }
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.rawListener?.dispose();
    this.clients.clear();
  }

  /** One handler per command, typed by the contract: its validated payload in, its result out. */
  private readonly handlers: CommandHandlers = {
    listBoards: () => this.engine.listBoards(),
    getSnapshot: () => this.snapshot(),
    connect: (options) => this.changing(this.engine.connect(options)),
    disconnect: async () => (await this.changing(this.engine.disconnect()), null),
    start: async () => (await this.changing(this.engine.start()), null),
    stop: async () => (await this.changing(this.engine.stop()), null),
    setPipeline: (pipeline) => this.changing(this.engine.setPipeline(pipeline)),
    getStatus: () => this.engine.getStatus(),
    listPorts: () => this.engine.listPorts(),
    setChannels: async ({ changes }) => ({ settings: [...(await this.engine.setChannels(changes))] }),
    resetChannels: async () => ({ settings: [...(await this.engine.resetChannels())] }),
    registerDump: async () => ({ dump: await this.engine.registerDump() }),
    measureImpedance: async (request) => ({ readings: await this.engine.measureImpedance(request?.channels) }),
    configureBoard: async ({ command }) => ({ reply: await this.engine.configureBoard(command) }),
    controlPlayback: (command) => this.engine.controlPlayback(command),
    startRecording: (options) => this.changing(this.engine.startRecording(options)),
    stopRecording: () => this.changing(this.engine.stopRecording()),
    listRecordings: (request) => this.engine.listRecordings(request?.dataDir),
    verifyRecording: ({ path, dataDir }) => this.engine.verifyRecording(path, dataDir),
    recordingSidecars: ({ path }) => this.engine.recordingSidecars(path),
    repairRecording: ({ path, dataDir }) => this.engine.repairRecording(path, dataDir),
    addMarker: ({ label, hostTimeMs }) => this.engine.addMarker(label, hostTimeMs),
    loadModel: (request) => this.changing(this.engine.loadModel(request)),
    setDecoder: (request) => this.changing(this.engine.setDecoder(request)),
    clearDecoder: async () => (await this.changing(this.engine.clearDecoder()), null),
    trainModel: (request) => this.engine.trainModel(request),
    setLslOutlets: (request) => this.engine.setLslOutlets(request),
    listLslStreams: (request) => this.engine.listLslStreams(request?.timeoutSec),
    addLslMarkers: ({ stream }) => this.engine.addLslMarkers(stream),
    startAssist: (request) => this.engine.startAssist(request),
    stopAssist: (request) => this.engine.stopAssist(request?.source ?? 'api'),
    resumeAssist: (request) => this.engine.resumeAssist(request?.source ?? 'api'),
    assistSwitch: () => this.engine.assistSwitch(),
    endAssist: () => this.engine.endAssist(),
    getAssist: () => this.engine.getAssist(),
    listProtocols: (request) => this.engine.siteStore(request?.dataDir).protocols(),
    addProtocol: ({ protocol, dataDir }) => this.engine.siteStore(dataDir).addProtocol(protocol),
    retireProtocol: ({ id, reason, dataDir }) => this.engine.siteStore(dataDir).retireProtocol(id, reason, Date.now()),
    checkSession: ({ mode, session, dataDir }) => this.engine.checkSession(mode, session, dataDir),
    getAlerts: () => this.engine.getAlerts(),
    acknowledgeAlert: (request) => this.engine.acknowledgeAlert(request),
    setAlertRules: (rules) => this.engine.setAlertRules(rules),
    getSiteSettings: (request) => this.engine.getSiteSettings(request?.dataDir),
    getQuality: () => this.engine.getQuality(),
    getChecklist: (request) => this.engine.getChecklist(request),
    overrideImpedance: ({ channels, reason }) => this.engine.overrideImpedance(channels, reason),
    openMarkerPort: (request) => this.engine.openMarkerPort(request?.port),
    closeMarkerPort: async () => (await this.engine.closeMarkerPort(), null),
    listMontages: (request) => this.engine.montageStore(request?.dataDir).list(),
    saveMontage: ({ montage, replace, dataDir }) => this.engine.montageStore(dataDir).save(montage, { replace }),
    deleteMontage: ({ name, dataDir }) => this.engine.montageStore(dataDir).delete(name),
    applyMontage: ({ name, dataDir }) => this.changing(Promise.resolve(this.engine.applyMontage(name, dataDir))),
    setStreams: (wanted, client) => {
      const state = [...this.clients].find((c) => c.sink === client);
      if (!state) throw new EngineError('state', 'this client is not attached to the engine');
      state.raw = wanted.raw;
      state.filtered = wanted.filtered;
      if (wanted.predictions !== undefined) state.predictions = wanted.predictions;
      this.updateRawSubscription();
      return null;
    },
  };

  /** After a command that changes the snapshot (board, state, pipeline, recording): every client hears of it. */
  private async changing<T>(work: Promise<T>): Promise<T> {
    const result = await work;
    this.broadcastSnapshot();
    return result;
  }

  private snapshot(): EngineSnapshot {
    return { state: this.engine.currentState, descriptor: this.engine.descriptor ?? null, pipeline: this.engine.currentPipeline, decoder: this.engine.currentDecoder, montage: this.engine.appliedMontage?.name ?? null };
  }

  private broadcastSnapshot(): void {
    this.broadcast({ type: 'snapshot', snapshot: this.snapshot() });
  }

  private broadcast(event: EngineEvent): void {
    for (const c of this.clients) c.sink.sendEvent(event);
  }

  /** Encodes a chunk once and hands it to every client that wants that stream (a copy each but the last, since sinks may transfer it). */
  private fanOut(
    stream: 'raw' | 'filtered' | 'predictions',
    chunk: { kind?: FrameKindName; firstSampleIndex: number; rowCount: number; channelCount: number; data: Float64Array; lostRows: number; strideRows?: number },
  ): void {
    const wanting = [...this.clients].filter((c) => c[stream]);
    if (wanting.length === 0) return;
    const kind = chunk.kind ?? (stream === 'raw' ? 'raw' : 'filtered');
    const frame = encodeFrame(kind, chunk.firstSampleIndex, chunk.rowCount, chunk.channelCount, chunk.data, chunk.lostRows, chunk.strideRows ?? 1);
    wanting.forEach((c, i) => c.sink.sendFrame(i === wanting.length - 1 ? frame : frame.slice(0)));
  }

  // The engine copies raw rows for display only while some client wants them.
  private rawListener: Disposable | undefined;
  private updateRawSubscription(): void {
    const wanted = [...this.clients].some((c) => c.raw);
    if (wanted && !this.rawListener) {
      this.rawListener = this.engine.on('raw', (chunk) => this.fanOut('raw', chunk));
    }
    if (!wanted && this.rawListener) {
      this.rawListener.dispose();
      this.rawListener = undefined;
    }
  }
}
