// Assistive control on the control plane: the session a clinician starts (targets, scheme,
// threshold, dwell, refractory, outputs to devices), validated with one schema wherever it enters
// (a command, the CLI), and what the engine says about it (the `assist` event and getAssist).

import { z } from 'zod';
import type { AssistScheme, Selection, SelectorView } from '../assistive/selector.js';
import { sessionSchema } from './session.js';

/** Presets of target boards. */
export const TARGET_PRESETS: Readonly<Record<string, readonly string[]>> = {
  'yes-no': ['Yes', 'No'],
  needs: ['Help', 'Water', 'Pain', 'Position', 'Call'],
};

/** Whether a host name or address is this machine (the default place outputs go). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

const hostField = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:\-[\]]+$/, 'a host is a name or an address (letters, digits, dots, colons, dashes)');
const portField = z.number().int().min(1).max(65535);

/** The host of a ws:// or wss:// address (brackets of an IPv6 address removed). */
export function hostOfUrl(url: string): string {
  const authority = url.replace(/^wss?:\/\//, '').split('/')[0].replace(/^[^@]*@/, '');
  const bracketed = /^\[([^\]]+)\]/.exec(authority);
  return bracketed ? bracketed[1] : authority.replace(/:\d+$/, '');
}

const remoteNote = (host: string) =>
  `${host} is not this machine: a remote address must be allowed explicitly (tick "allow a remote address", or --allow-remote)`;

/** Where selections, stops and resumes go. Loopback unless `allowRemote` is set. */
export const outputEndpointSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('udp'), host: hostField.default('127.0.0.1'), port: portField, allowRemote: z.boolean().default(false) }),
    z.strictObject({ kind: z.literal('osc'), host: hostField.default('127.0.0.1'), port: portField, allowRemote: z.boolean().default(false) }),
    z.strictObject({
      kind: z.literal('websocket'),
      url: z.string().max(2048).regex(/^wss?:\/\/[^\s/]+(\/\S*)?$/, 'a WebSocket address looks like ws://127.0.0.1:8080/path'),
      allowRemote: z.boolean().default(false),
    }),
  ])
  .superRefine((e, ctx) => {
    const host = e.kind === 'websocket' ? hostOfUrl(e.url) : e.host;
    if (!e.allowRemote && !isLoopbackHost(host)) ctx.addIssue({ code: 'custom', message: remoteNote(host), path: [e.kind === 'websocket' ? 'url' : 'host'] });
  });

export type OutputEndpoint = z.output<typeof outputEndpointSchema>;

export function describeEndpoint(e: OutputEndpoint): string {
  return e.kind === 'websocket' ? e.url : `${e.kind}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

const targetSchema = z.strictObject({ label: z.string().trim().min(1).max(40), critical: z.boolean().default(false) });

export const startAssistSchema = z
  .strictObject({
    scheme: z.enum(['direct', 'scanning', 'ssvep']),
    targets: z.array(targetSchema).min(2).max(8),
    /** direct / ssvep: the model's class for each target, in the targets' order (default: the model's classes but rest, in order). */
    targetClasses: z.array(z.string().min(1).max(200)).max(8).optional(),
    /** scanning: the model's class that picks the highlighted target (default: the first class but rest). */
    selectClass: z.string().min(1).max(200).optional(),
    thresholdProb: z.number().gt(0).max(1).default(0.8),
    dwellSec: z.number().min(0).max(30).default(1),
    refractorySec: z.number().min(0).max(60).default(2),
    confirmSec: z.number().min(0.5).max(60).default(5),
    scanStepSec: z.number().min(0.2).max(30).default(2.5),
    outputs: z.array(outputEndpointSchema).max(8).default([]),
    /** Who runs it and for whom (the session form's subject code, operator, protocol id). */
    session: sessionSchema.partial({ subject: true }).prefault({}),
    /**
     * The audit log's path (a new file). Default: beside the recording in progress, or beside the
     * one the session starts (`record`), as `<recording>_assist.jsonl`.
     */
    auditPath: z.string().min(1).max(4096).optional(),
    /** The data folder whose protocols the ethics check reads (default: record.dataDir, else the workstation's). */
    dataDir: z.string().min(1).max(4096).optional(),
    /** Starts a recording (with the session form above) when none is running: assistive sessions are recorded. */
    record: z.strictObject({ dataDir: z.string().min(1).max(4096).optional(), path: z.string().min(1).max(4096).optional() }).optional(),
    quality: z
      .strictObject({
        flatUv: z.number().positive().max(100).default(0.05),
        noisyUv: z.number().positive().max(100000).default(150),
        resumeAfterSec: z.number().min(0).max(30).default(1),
      })
      .default({ flatUv: 0.05, noisyUv: 150, resumeAfterSec: 1 }),
    /** SSVEP display: flicker frequencies (one per target, Hz) and target size (px); the screen draws them. */
    ssvep: z.strictObject({ frequenciesHz: z.array(z.number().min(1).max(60)).min(2).max(8), sizePx: z.number().int().min(80).max(1000).default(240) }).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.scheme === 'scanning' && !(c.scanStepSec > c.dwellSec)) ctx.addIssue({ code: 'custom', path: ['scanStepSec'], message: 'each target must stay highlighted longer than the dwell' });
    if (c.targetClasses && c.targetClasses.length !== c.targets.length) ctx.addIssue({ code: 'custom', path: ['targetClasses'], message: 'give one model class per target' });
    if (new Set(c.targets.map((t) => t.label)).size !== c.targets.length) ctx.addIssue({ code: 'custom', path: ['targets'], message: 'two targets have the same label' });
  });

export type StartAssistRequest = z.input<typeof startAssistSchema>;
export type AssistConfig = z.output<typeof startAssistSchema>;

/** How a stop was asked for (the audit log says). */
export const stopAssistSchema = z.strictObject({ source: z.enum(['button', 'escape', 'cli', 'main-window', 'switch', 'api']).default('api') }).optional();

export interface OutputStatus {
  readonly endpoint: string;
  readonly kind: OutputEndpoint['kind'];
  readonly delivered: number;
  readonly failed: number;
  /** The last failure, in words, while the endpoint is failing (null once a delivery succeeds again). */
  readonly error: string | null;
}

/** The assistive session as every screen draws it (getAssist and the `assist` event). */
export interface AssistState {
  readonly active: boolean;
  readonly scheme: AssistScheme | null;
  readonly targets: readonly { readonly label: string; readonly critical: boolean }[];
  readonly classes: readonly string[];
  readonly thresholdProb: number;
  readonly dwellSec: number;
  readonly refractorySec: number;
  readonly view: SelectorView | null;
  /** Stopped by the clinician (outputs halted) until resumed. */
  readonly stopped: boolean;
  readonly selections: number;
  readonly lastSelection: (Pick<Selection, 'target' | 'label' | 'sampleIndex' | 'probability' | 'via'> & { readonly seq: number }) | null;
  readonly outputs: readonly OutputStatus[];
  readonly auditLog: string | null;
  readonly recording: string | null;
  readonly ssvep: { readonly frequenciesHz: readonly number[]; readonly sizePx: number } | null;
}

export const INACTIVE_ASSIST: AssistState = {
  active: false,
  scheme: null,
  targets: [],
  classes: [],
  thresholdProb: 0,
  dwellSec: 0,
  refractorySec: 0,
  view: null,
  stopped: false,
  selections: 0,
  lastSelection: null,
  outputs: [],
  auditLog: null,
  recording: null,
  ssvep: null,
};

/** What goes to a device (UDP/WebSocket as JSON; OSC as /bci/<type> with the label). */
export type AssistMessage =
  | { readonly type: 'selection'; readonly seq: number; readonly target: string; readonly index: number; readonly sampleIndex: number; readonly probability: number | null; readonly time: string }
  | { readonly type: 'stop' | 'resume'; readonly seq: number; readonly sampleIndex: number; readonly time: string; readonly source: string };
