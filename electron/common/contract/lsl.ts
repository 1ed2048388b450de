// Lab Streaming Layer in the contract: which streams the workstation publishes as LSL outlets
// (raw, filtered, predictions, markers: each switchable while streaming), what it says about them,
// and the streams it resolves on the network (for the LSL board and LSL markers in). Pure.

import { z } from 'zod';

export const LSL_OUTLET_KINDS = ['raw', 'filtered', 'predictions', 'markers'] as const;
export type LslOutletKind = (typeof LSL_OUTLET_KINDS)[number];

/** setLslOutlets: the outlets wanted (a kind left out keeps its state). */
export const lslOutletsRequestSchema = z.strictObject({
  raw: z.boolean().optional(),
  filtered: z.boolean().optional(),
  predictions: z.boolean().optional(),
  markers: z.boolean().optional(),
  /** The outlets' name (default "BCI <board name>"; filtered, markers and predictions add a word). */
  name: z.string().min(1).max(200).optional(),
});
export type LslOutletsRequest = z.infer<typeof lslOutletsRequestSchema>;

/** `--lsl raw,filtered,…` as a request ("all" for the four); a refusal names the unknown kind. */
export function parseLslOutletList(text: string): { ok: true; request: Record<LslOutletKind, boolean> } | { ok: false; error: string } {
  const request: Record<LslOutletKind, boolean> = { raw: false, filtered: false, predictions: false, markers: false };
  for (const word of text.split(',').map((w) => w.trim()).filter((w) => w.length > 0)) {
    if (word === 'all') {
      for (const k of LSL_OUTLET_KINDS) request[k] = true;
    } else if ((LSL_OUTLET_KINDS as readonly string[]).includes(word)) {
      request[word as LslOutletKind] = true;
    } else {
      return { ok: false, error: `--lsl takes ${LSL_OUTLET_KINDS.join(', ')} or all (comma-separated), got "${word}"` };
    }
  }
  if (!LSL_OUTLET_KINDS.some((k) => request[k])) return { ok: false, error: `--lsl needs at least one of ${LSL_OUTLET_KINDS.join(', ')} or all` };
  return { ok: true, request };
}

/** One outlet being published. */
export interface LslOutletInfo {
  readonly kind: LslOutletKind;
  readonly name: string;
  readonly type: string;
  readonly sourceId: string;
  readonly channelCount: number;
  readonly nominalRateHz: number;
  /** Samples pushed so far. */
  readonly samplesPushed: number;
}

/** What setLslOutlets answers: which are on, which are published now (while connected), and why not when liblsl is missing. */
export interface LslOutletsState {
  readonly available: boolean;
  /** One sentence when LSL is unavailable or an outlet failed. */
  readonly message: string | null;
  readonly wanted: Readonly<Record<LslOutletKind, boolean>>;
  readonly outlets: readonly LslOutletInfo[];
}

/** A stream resolved on the network, as a list shows it. */
export interface LslStreamSummary {
  readonly name: string;
  readonly type: string;
  readonly hostname: string;
  readonly sourceId: string;
  readonly channelCount: number;
  readonly nominalRateHz: number;
  readonly channelFormat: string;
}

/**
 * `--lsl-stream NAME` or `--lsl-stream PROP=VALUE` (type=EEG, source_id=…): the predicate a stream
 * is resolved by. Only LSL's own properties are accepted.
 */
export function parseLslStreamSelector(text: string): { prop: 'name' | 'type' | 'source_id' | 'hostname'; value: string } {
  const match = /^(name|type|source_id|hostname)=(.+)$/.exec(text);
  if (match) return { prop: match[1] as 'name' | 'type' | 'source_id' | 'hostname', value: match[2] };
  return { prop: 'name', value: text };
}
