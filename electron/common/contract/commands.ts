// The control plane: every command a renderer (or any client) can send the engine, with its
// request schema, in one module. Hosts validate each request here before the engine sees it;
// the preload exposes one method per entry; the WebSocket bridge speaks the same names.

import { z } from 'zod';
import { boardOptionsSchema, type BoardInfo } from './board-options.js';
import { pipelineSchema, type PipelineDescription } from './pipeline.js';
import type { EngineStatus, PlaybackState } from './status.js';
import type { BoardDescriptor } from '../boards/descriptor.js';
import { recordingOptionsSchema } from './session.js';
import { listRecordingsSchema, recordingPathSchema, type LibraryEntry, type LibraryListing, type SidecarText } from './library.js';
import { CYTON_GAINS, CYTON_INPUT_TYPES } from '../boards/cyton-protocol.js';
import type { AmplifierChannelSettings, ImpedanceReading } from '../boards/amplifier.js';
import type { RecorderSummary } from './recorder-messages.js';
import { explainIssues, failureOf, type Failure } from './failure.js';
import { playbackCommandSchema } from './playback.js';
import { lslOutletsRequestSchema, type LslOutletsState, type LslStreamSummary } from './lsl.js';
import { startAssistSchema, stopAssistSchema, type AssistState } from './assistive.js';
import { acknowledgeAlertSchema, type Alert } from './alerts.js';
import { alertRulesSchema, protocolIdSchema, protocolSchema, sessionModeSchema, type AlertRules, type EthicsCheck, type Protocol } from './ethics.js';
import { sessionSchema } from './session.js';
import type { QualitySummary } from './quality.js';
import type { ChecklistItem } from './checklist.js';
import { montageNameSchema, montageSchema, type Montage } from './montage.js';
import { loadModelRequestSchema, setDecoderRequestSchema, trainModelRequestSchema, type DecoderInfo, type TrainModelResult } from './decoding.js';

const none = z.undefined().or(z.null()).or(z.object({}).strict());

export const commandSchemas = {
  listBoards: none,
  getSnapshot: none,
  connect: boardOptionsSchema,
  disconnect: none,
  start: none,
  stop: none,
  setPipeline: pipelineSchema,
  getStatus: none,
  /**
   * A marker at host time `hostTimeMs` (`performance.timeOrigin + performance.now()`, the same clock
   * in every process; default: when the engine receives it), mapped to a sample index through the
   * clock model. A paradigm stamps it at the animation frame that drew its cue. Finite (zod 4's
   * numbers refuse NaN and ±Infinity); the engine refuses a time more than 10 minutes from its own.
   */
  addMarker: z.object({ label: z.string().min(1).max(200), hostTimeMs: z.number().optional() }).strict(),
  /** Serial ports on the engine's machine, with the OpenBCI dongle recognised. */
  listPorts: none,
  /** Amplifier channel settings (Cyton: x CH POWER GAIN INPUT BIAS SRB2 SRB1 X), 1-based channels. */
  setChannels: z
    .object({
      changes: z
        .array(
          z
            .object({
              channel: z.number().int().min(1).max(16),
              powerOn: z.boolean().optional(),
              gain: z.number().refine((g) => CYTON_GAINS.includes(g), `gain must be one of ${CYTON_GAINS.join(', ')}`).optional(),
              input: z.enum(CYTON_INPUT_TYPES as unknown as [string, ...string[]]).optional(),
              bias: z.boolean().optional(),
              srb2: z.boolean().optional(),
              srb1: z.boolean().optional(),
            })
            .strict(),
        )
        .min(1)
        .max(16),
    })
    .strict(),
  /** Back to the board's default channel settings. */
  resetChannels: none,
  /** The amplifier's register dump (Cyton `?`). */
  registerDump: none,
  /** Lead-off impedance test of the given 1-based channels (default: all EEG channels). */
  measureImpedance: z.object({ channels: z.array(z.number().int().min(1).max(16)).max(16).optional() }).strict().optional(),
  /** A board-specific text command (Cyton commands; playback also takes pause, resume, seek S, speed X|max, loop on|off). */
  configureBoard: z.object({ command: z.string().min(1).max(200) }).strict(),
  /** The playback transport of a board that has one (capabilities.playbackTransport): answers its state after the command. */
  controlPlayback: playbackCommandSchema,
  /** Starts recording the raw samples (BDF+ by default) with the session form. */
  startRecording: recordingOptionsSchema,
  stopRecording: none,
  /** The recordings library: the data folder's recordings (default: the workstation's), newest first. */
  listRecordings: listRecordingsSchema,
  /** Computes a listed recording's SHA-256 and compares it with its .sha256 file (streamed: streaming goes on). */
  verifyRecording: recordingPathSchema.extend({ dataDir: z.string().min(1).max(4096).optional() }).strict(),
  /** The text of a recording's sidecars (session, channels, events, eeg.json, checksum; the first 64 KB of each). */
  recordingSidecars: recordingPathSchema,
  /** Completes an unfinished recording (as `bci repair`). */
  repairRecording: recordingPathSchema.extend({ dataDir: z.string().min(1).max(4096).optional() }).strict(),
  /** Which streams this client wants as binary frames (filtered and predictions are on by default; predictions unchanged when left out). */
  setStreams: z.object({ raw: z.boolean(), filtered: z.boolean(), predictions: z.boolean().optional() }).strict(),
  /** Runs a model file (a path on the engine's machine) on the connected board: predictions as frames of kind 'prediction'. */
  loadModel: loadModelRequestSchema,
  /** Runs a model given as JSON (a model file's content) on the connected board. */
  setDecoder: setDecoderRequestSchema,
  /** Stops decoding. */
  clearDecoder: none,
  /** Trains and cross-validates a decoder on recordings (paths on the engine's machine); answers the report and the model. */
  trainModel: trainModelRequestSchema,
  /** Which LSL outlets (raw, filtered, predictions, markers) the workstation publishes; a kind left out keeps its state. */
  setLslOutlets: lslOutletsRequestSchema,
  /** The LSL streams the engine's machine resolves (name, type, host, channels, rate), after waiting up to timeoutSec. */
  listLslStreams: z.object({ timeoutSec: z.number().min(0).max(10).optional() }).strict().optional(),
  /** Takes an LSL marker stream's markers (by name, or type=Markers) into the connected board's session. */
  addLslMarkers: z.object({ stream: z.string().min(1).max(500) }).strict(),
  /** Starts assistive control on the decoder running (targets, scheme, threshold, dwell, refractory, outputs). */
  startAssist: startAssistSchema,
  /** Halts every assistive output at once, until resumeAssist (the stop button, Escape). */
  stopAssist: stopAssistSchema,
  /** Lets selections happen again after a stop. */
  resumeAssist: stopAssistSchema,
  /** The single switch (scanning: pick the highlighted target; confirm a critical one). */
  assistSwitch: none,
  /** Ends the assistive session (its audit log completed). */
  endAssist: none,
  /** The assistive session's state. */
  getAssist: none,
  /** Protocols with their ethics approval in a data folder (default: the workstation's). */
  listProtocols: z.object({ dataDir: z.string().min(1).max(4096).optional() }).strict().optional(),
  addProtocol: z.object({ protocol: protocolSchema, dataDir: z.string().min(1).max(4096).optional() }).strict(),
  retireProtocol: z.object({ id: protocolIdSchema, reason: z.string().max(400).optional(), dataDir: z.string().min(1).max(4096).optional() }).strict(),
  /** The ethics check alone (what startRecording runs): answers the approval, or refuses with its sentence. */
  checkSession: z.object({ mode: sessionModeSchema, session: sessionSchema, dataDir: z.string().min(1).max(4096).optional() }).strict(),
  /** Every alert of this session, those still to acknowledge first. */
  getAlerts: none,
  acknowledgeAlert: acknowledgeAlertSchema,
  /** Adjusts the alert thresholds (a partial change), in force at once and saved in the data folder's site settings; answers the rules in force. */
  setAlertRules: alertRulesSchema.partial().extend({ dataDir: z.string().min(1).max(4096).optional() }).strict(),
  /** The site settings of a data folder (requireProtocol) with the alert rules in force. */
  getSiteSettings: z.object({ dataDir: z.string().min(1).max(4096).optional() }).strict().optional(),
  /** The latest second of signal quality per channel (null before the first). */
  getQuality: none,
  /** The pre-session checklist: each item green or red with what to do. */
  getChecklist: z
    .object({
      mode: sessionModeSchema.default('recording'),
      session: sessionSchema.optional(),
      dataDir: z.string().min(1).max(4096).optional(),
      plannedMinutes: z.number().positive().max(24 * 60).default(30),
      powerLineHz: z.union([z.literal(50), z.literal(60)]).optional(),
    })
    .strict(),
  /** Opens the UDP marker port on 127.0.0.1 (default 12350, the OpenBCI GUI's convention): each datagram's text becomes a marker. */
  openMarkerPort: z.object({ port: z.number().int().min(0).max(65535).optional() }).strict().optional(),
  closeMarkerPort: none,
  /** Accepts the impedance of channels over the threshold for this connection, with a written reason (logged). */
  overrideImpedance: z.object({ channels: z.array(z.number().int().min(1).max(64)).min(1).max(64), reason: z.string().trim().min(10, 'write a reason of at least 10 characters').max(400) }).strict(),
  /** Named montages (label, type, 10-20 position per channel) in a data folder (default: the workstation's). */
  listMontages: z.object({ dataDir: z.string().min(1).max(4096).optional() }).strict().optional(),
  /** Saves a montage; one of the same name is replaced only with replace: true. */
  saveMontage: z.object({ montage: montageSchema, replace: z.boolean().optional(), dataDir: z.string().min(1).max(4096).optional() }).strict(),
  deleteMontage: z.object({ name: montageNameSchema, dataDir: z.string().min(1).max(4096).optional() }).strict(),
  /** Applies a saved montage to the connected board (null: the board's own labels); refused while recording. Answers the descriptor clients now see. */
  applyMontage: z.object({ name: montageNameSchema.nullable(), dataDir: z.string().min(1).max(4096).optional() }).strict(),
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];

/** What a client needs to draw the engine: its state, the connected board, the pipeline, the decoder (answer of getSnapshot and the snapshot event). */
export interface EngineSnapshot {
  readonly state: EngineStatus['state'];
  readonly descriptor: BoardDescriptor | null;
  readonly pipeline: PipelineDescription;
  /** The model running on the board (its classes name the columns of prediction frames), or null. */
  readonly decoder: DecoderInfo | null;
  /** The name of the montage applied to the board (its labels, types and positions are the descriptor's), or null. */
  readonly montage?: string | null;
}

export interface MarkerInfo {
  readonly sampleIndex: number;
  readonly label: string;
  /** board: the board's own cue; user: the UI, a hotkey or a paradigm; udp: the UDP marker port. */
  readonly source: 'board' | 'user' | 'udp';
  /** The host time the marker was stamped at (user and UDP markers), mapped to sampleIndex through the clock model. */
  readonly hostTimeMs?: number;
}

/** What each command answers. */
export interface CommandResults {
  listBoards: BoardInfo[];
  getSnapshot: EngineSnapshot;
  connect: BoardDescriptor;
  disconnect: null;
  start: null;
  stop: null;
  setPipeline: PipelineDescription;
  getStatus: EngineStatus;
  addMarker: MarkerInfo;
  setStreams: null;
  configureBoard: { reply: string };
  controlPlayback: PlaybackState;
  listPorts: { path: string; description: string; openBciDongle: boolean }[];
  /** What the board confirmed: one setting per change (setChannels), every channel (resetChannels). */
  setChannels: { settings: readonly AmplifierChannelSettings[] };
  resetChannels: { settings: readonly AmplifierChannelSettings[] };
  registerDump: { dump: string };
  measureImpedance: { readings: readonly ImpedanceReading[] };
  startRecording: { path: string };
  stopRecording: RecorderSummary & { sidecars: string[]; events: number };
  listRecordings: LibraryListing;
  verifyRecording: LibraryEntry;
  recordingSidecars: SidecarText[];
  repairRecording: { message: string; entry: LibraryEntry | null };
  loadModel: DecoderInfo;
  setDecoder: DecoderInfo;
  clearDecoder: null;
  trainModel: TrainModelResult;
  setLslOutlets: LslOutletsState;
  listLslStreams: LslStreamSummary[];
  addLslMarkers: LslStreamSummary;
  startAssist: AssistState;
  stopAssist: AssistState;
  resumeAssist: AssistState;
  assistSwitch: AssistState;
  endAssist: AssistState;
  getAssist: AssistState;
  listProtocols: Protocol[];
  addProtocol: Protocol;
  retireProtocol: Protocol;
  checkSession: EthicsCheck;
  getAlerts: Alert[];
  acknowledgeAlert: Alert;
  setAlertRules: AlertRules;
  getSiteSettings: { dataDir: string; requireProtocol: boolean; alerts: AlertRules };
  getQuality: QualitySummary | null;
  getChecklist: { items: ChecklistItem[]; ready: boolean; red: string[] };
  overrideImpedance: { channels: number[]; reason: string };
  openMarkerPort: { host: string; port: number; received: number; refused: number };
  closeMarkerPort: null;
  listMontages: Montage[];
  saveMontage: { montage: Montage; replaced: boolean };
  deleteMontage: Montage;
  applyMontage: BoardDescriptor;
}

export type CommandRequest<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;
/** A request as the engine receives it, after validation. */
export type CommandPayload<K extends CommandName> = z.output<(typeof commandSchemas)[K]>;

/** Events pushed to every client (JSON), beside the binary sample frames. */
export type EngineEvent =
  | { readonly type: 'status'; readonly status: EngineStatus }
  | { readonly type: 'snapshot'; readonly snapshot: EngineSnapshot }
  | { readonly type: 'marker'; readonly marker: MarkerInfo }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'assist'; readonly state: AssistState }
  | { readonly type: 'alert'; readonly alert: Alert }
  | { readonly type: 'quality'; readonly quality: QualitySummary };

/** Validates a command request; returns the parsed payload or a Failure saying what is wrong, field by field. */
export function parseCommand(name: string, payload: unknown): { ok: true; name: CommandName; payload: unknown } | Failure {
  if (!Object.hasOwn(commandSchemas, name)) return { ok: false, kind: 'invalid-request', error: `unknown command "${name}"`, issues: [] };
  const schema = commandSchemas[name as CommandName];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) return failureOf(explainIssues(`${name} request`, parsed.error.issues));
  return { ok: true, name: name as CommandName, payload: parsed.data };
}

// WebSocket envelopes (web mode). Electron uses ipc invoke/handle with the same names instead.
export const wsRequestSchema = z.object({ id: z.number().int().nonnegative(), command: z.string().max(64), payload: z.unknown().optional() }).strict();
export type WsRequest = z.infer<typeof wsRequestSchema>;
export type WsResponse = { readonly id: number; readonly ok: true; readonly result: unknown } | ({ readonly id: number } & Failure);
/** What the server sends: `type` tells a response from an event (a failed response carries its own `kind`). */
export type WsServerMessage = ({ readonly type: 'response' } & WsResponse) | ({ readonly type: 'event' } & { readonly event: EngineEvent });

/** What a host answers to a command: a result, or a Failure (its kind, one line for the user, the fields at fault). */
export type CommandOutcome = { readonly ok: true; readonly result: unknown } | Failure;

// Electron bridge (desktop mode): the preload exposes one method per command on this global,
// each invoking the IPC channel of that name; streams arrive on a MessagePort handed to the page
// with a window message of type PORT_MESSAGE.
export const PRELOAD_GLOBAL = 'bciBridge';
export const PORT_MESSAGE = 'bci:port';
export const ipcChannel = (name: CommandName): string => `bci:${name}`;
export type PreloadBridge = { readonly [K in CommandName]: (request?: unknown) => Promise<CommandOutcome> };
/** Messages on the stream port: binary frames as ArrayBuffer, events as this object. */
export interface PortEventMessage {
  readonly event: EngineEvent;
}
