// The command host: the one place where the control plane meets the engine, shared by every host
// (Electron main, `bci serve`). It validates each command against the contract, calls the
// engine, and fans the engine's streams out to attached clients: JSON events, and binary sample
// frames for the streams each client asked for. Hosts only move bytes.

import type { Engine } from './engine.js';
import type { Disposable } from '../common/disposable.js';
import { DisposableStore } from '../common/disposable.js';
import { parseCommand, type CommandName, type CommandOutcome, type CommandResults, type EngineEvent, type SessionInfo } from '../common/contract/commands.js';
import { encodeFrame } from '../common/contract/frames.js';
import type { BoardOptions } from '../common/contract/board-options.js';
import type { PipelineDescription } from '../common/contract/pipeline.js';
import type { ChannelSettingsChange } from './boards/driver.js';
import type { PlaybackCommand } from '../common/contract/playback.js';

/** A connected renderer, seen from the host. */
export interface ClientSink {
  sendEvent(event: EngineEvent): void;
  /** A binary frame (see contract/frames.ts); the sink may transfer the buffer. */
  sendFrame(frame: ArrayBuffer): void;
}

interface ClientState {
  readonly sink: ClientSink;
  raw: boolean;
  filtered: boolean;
}

export class CommandHost implements Disposable {
  private readonly clients = new Set<ClientState>();
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly engine: Engine) {
    this.subscriptions.add(engine.on('status', (status) => this.broadcast({ type: 'status', status })));
    this.subscriptions.add(engine.on('marker', (marker) => this.broadcast({ type: 'marker', marker })));
    this.subscriptions.add(engine.on('error', (message) => this.broadcast({ type: 'error', message })));
    this.subscriptions.add(
      engine.on('filtered', (chunk) => this.fanOut('filtered', chunk)),
    );
  }

  /** Attaches a client; it gets the session at once, then events and filtered frames. */
  attach(sink: ClientSink): Disposable {
    const state: ClientState = { sink, raw: false, filtered: true };
    this.clients.add(state);
    this.updateRawSubscription();
    sink.sendEvent({ type: 'session', session: this.session() });
    return {
      dispose: () => {
        this.clients.delete(state);
        this.updateRawSubscription();
      },
    };
  }

  /**
   * Runs one command from a client. Never throws: a refused or failed command comes back as a
   * one-line error for the user.
   */
  async handle(client: ClientSink | undefined, name: string, payload: unknown): Promise<CommandOutcome> {
    const parsed = parseCommand(name, payload);
    if (!parsed.ok) return parsed;
    try {
      return { ok: true, result: await this.run(client, parsed.name, parsed.payload) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.rawListener?.dispose();
    this.clients.clear();
  }

  private async run<K extends CommandName>(client: ClientSink | undefined, name: K, payload: unknown): Promise<CommandResults[K]> {
    const engine = this.engine;
    const result = async (): Promise<unknown> => {
      switch (name) {
        case 'listBoards':
          return engine.listBoards();
        case 'getSession':
          return this.session();
        case 'connect': {
          const descriptor = await engine.connect(payload as BoardOptions);
          this.broadcastSession();
          return descriptor;
        }
        case 'disconnect':
          await engine.disconnect();
          this.broadcastSession();
          return null;
        case 'start':
          await engine.start();
          this.broadcastSession();
          return null;
        case 'stop':
          await engine.stop();
          this.broadcastSession();
          return null;
        case 'setPipeline': {
          const pipeline = await engine.setPipeline(payload as PipelineDescription);
          this.broadcastSession();
          return pipeline;
        }
        case 'getStatus':
          return engine.getStatus();
        case 'listPorts':
          return engine.listPorts();
        case 'setChannels':
          return { settings: await engine.setChannels((payload as { changes: ChannelSettingsChange[] }).changes) };
        case 'resetChannels':
          return { settings: await engine.resetChannels() };
        case 'registerDump':
          return { dump: await engine.registerDump() };
        case 'measureImpedance':
          return { readings: await engine.measureImpedance((payload as { channels?: number[] } | undefined)?.channels) };
        case 'configureBoard': {
          const reply = await engine.configureBoard((payload as { command: string }).command);
          return { reply };
        }
        case 'controlPlayback':
          return engine.controlPlayback(payload as PlaybackCommand);
        case 'startRecording': {
          const started = await engine.startRecording(payload);
          this.broadcastSession();
          return started;
        }
        case 'stopRecording': {
          const result = await engine.stopRecording();
          this.broadcastSession();
          return result;
        }
        case 'addMarker':
          return engine.addMarker((payload as { label: string }).label);
        case 'setStreams': {
          const state = [...this.clients].find((c) => c.sink === client);
          if (!state) throw new Error('this client is not attached to the engine');
          const wanted = payload as { raw: boolean; filtered: boolean };
          state.raw = wanted.raw;
          state.filtered = wanted.filtered;
          this.updateRawSubscription();
          return null;
        }
      }
      throw new Error(`unhandled command "${String(name)}"`);
    };
    return (await result()) as CommandResults[K];
  }

  private session(): SessionInfo {
    return { state: this.engine.currentState, descriptor: this.engine.descriptor ?? null, pipeline: this.engine.currentPipeline };
  }

  private broadcastSession(): void {
    this.broadcast({ type: 'session', session: this.session() });
  }

  private broadcast(event: EngineEvent): void {
    for (const c of this.clients) c.sink.sendEvent(event);
  }

  /** Encodes a chunk once and hands it to every client that wants that stream (a copy each but the last, since sinks may transfer it). */
  private fanOut(kind: 'raw' | 'filtered', chunk: { firstSampleIndex: number; rowCount: number; channelCount: number; data: Float64Array; lostRows: number }): void {
    const wanting = [...this.clients].filter((c) => c[kind]);
    if (wanting.length === 0) return;
    const frame = encodeFrame(kind, chunk.firstSampleIndex, chunk.rowCount, chunk.channelCount, chunk.data, chunk.lostRows);
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
