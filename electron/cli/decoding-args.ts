// The decoding flags shared by `bci train`, `bci evaluate` and `bci replay --model`: classes, the
// epoch window, channels, SSVEP frequencies, an ONNX file, decoder parameters, the online step and
// smoothing. Each bad value is a UsageError that says what was expected.

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EpochWindow } from '../common/decoding/epochs.js';
import type { JsonValue } from '../common/decoding/decoder.js';
import { smoothingSchema, type Smoothing } from '../common/contract/decoding.js';
import { UsageError } from './errors.js';
import { parseNumber } from './filter-args.js';

function list(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} is a comma-separated list without empty items, got "${text}"`);
  return items;
}

/** `--classes left,right`: two or more distinct event labels. */
export function parseClasses(text: string): string[] {
  const classes = list('classes', text);
  if (classes.length < 2) throw new UsageError(`--classes needs at least two event labels, e.g. --classes left,right (got "${text}")`);
  const dup = classes.find((c, i) => classes.indexOf(c) !== i);
  if (dup !== undefined) throw new UsageError(`--classes names ${dup} twice`);
  return classes;
}

const NUMBER = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)`;
const WINDOW = new RegExp(String.raw`^\s*(${NUMBER})\s*(?:-|:|\.\.|to)\s*(${NUMBER})\s*$`);

/** `--window 0.5-2.5` (seconds from each event; a start may be negative: -0.5-1.5). */
export function parseWindow(text: string): EpochWindow {
  const m = WINDOW.exec(text);
  if (!m) throw new UsageError(`--window needs START-END in seconds from each event, e.g. --window 0.5-2.5 (got "${text}")`);
  const startSec = Number(m[1]);
  const endSec = Number(m[2]);
  if (!(endSec > startSec)) throw new UsageError(`--window must end after it starts (got ${startSec} to ${endSec} s)`);
  if (endSec - startSec > 60) throw new UsageError(`--window spans ${endSec - startSec} s: at most 60 s`);
  return { startSec, endSec };
}

/** `--channels C3,Cz,C4`: channel labels. */
export function parseChannels(text: string): string[] {
  const labels = list('channels', text);
  const dup = labels.find((c, i) => labels.findIndex((d) => d.toLowerCase() === c.toLowerCase()) !== i);
  if (dup !== undefined) throw new UsageError(`--channels names ${dup} twice`);
  return labels;
}

/** `--frequencies 30,20`: one stimulation frequency per class, in the order of --classes. */
export function parseFrequencies(text: string, classes: readonly string[]): number[] {
  const values = list('frequencies', text).map((f) => parseNumber('frequencies', f));
  if (values.some((f) => !(f > 0))) throw new UsageError(`--frequencies must be above 0 Hz, got "${text}"`);
  if (values.length !== classes.length) throw new UsageError(`--frequencies needs one frequency per class (${classes.length}: ${classes.join(', ')}), got ${values.length}`);
  return values;
}

/** `--param KEY=VALUE` (repeatable): a decoder option; VALUE is read as JSON when it is JSON, else as text. */
export function parseParams(items: readonly string[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const item of items) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/s.exec(item);
    if (!m) throw new UsageError(`--param needs KEY=VALUE, e.g. --param shrinkage=0.1 (got "${item}")`);
    let value: JsonValue;
    try {
      value = JSON.parse(m[2]) as JsonValue;
    } catch {
      value = m[2];
    }
    out[m[1]] = value;
  }
  return out;
}

/** `--onnx FILE`: an existing file, as an absolute path. */
export function parseOnnxPath(text: string): string {
  const path = resolve(text);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--onnx ${text}: no such file`);
  return path;
}

/** `--smoothing none | exp:SECONDS | majority:N`. */
export function parseSmoothing(text: string): Smoothing {
  const [kind, arg = ''] = text.trim().split(':');
  const candidate =
    kind === 'none' ? { kind: 'none' } : kind === 'exp' || kind === 'exponential' ? { kind: 'exponential', timeConstantSec: Number(arg) } : kind === 'majority' ? { kind: 'majority', count: Number(arg) } : undefined;
  const parsed = smoothingSchema.safeParse(candidate);
  if (!parsed.success) throw new UsageError(`--smoothing is none, exp:SECONDS (time constant, e.g. exp:0.5) or majority:N (1-100), got "${text}"`);
  return parsed.data;
}

/** An output that must not exist yet and whose folder must: checked before hours of work, not after. */
export function checkNewOutput(flag: string, path: string): void {
  if (existsSync(path)) throw new UsageError(`--${flag} ${path} already exists: choose another output name (files are never overwritten)`);
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new UsageError(`--${flag} ${path}: its folder does not exist`);
}
