// The LSL flags of the commands that stream (stream, record, replay): `--lsl raw,filtered,
// predictions,markers` publishes those outlets, `--lsl-markers NAME|type=Markers` takes an
// experiment's marker stream into the session; and `bci lsl list`, the streams this machine sees.

import { parseArgs } from 'node:util';
import type { Engine } from '../engine/engine.js';
import { parseLslOutletList } from '../common/contract/lsl.js';
import { UsageError } from './errors.js';
import { parseNumber } from './filter-args.js';

export const LSL_FLAG_OPTIONS = {
  lsl: { type: 'string' },
  'lsl-markers': { type: 'string' },
  'lsl-name': { type: 'string' },
} as const;

export const LSL_FLAGS_HELP = `Lab Streaming Layer:
  --lsl LIST            publish LSL outlets while streaming: raw, filtered, predictions, markers or all
                        (comma-separated), e.g. --lsl raw,markers
  --lsl-name NAME       the outlets' name (default "BCI <board name>"; the others add filtered,
                        markers, predictions)
  --lsl-markers NAME    take the markers of an LSL marker stream (its name, or type=Markers) into the session`;

/** Switches on the outlets --lsl asks for (before connect: they open with the board). */
export function applyLslOutletFlag(engine: Engine, values: { readonly lsl?: string; readonly 'lsl-name'?: string }): void {
  if (values.lsl === undefined) {
    if (values['lsl-name'] !== undefined) throw new UsageError('--lsl-name goes with --lsl LIST (the outlets to publish)');
    return;
  }
  const parsed = parseLslOutletList(values.lsl);
  if (!parsed.ok) throw new UsageError(parsed.error);
  engine.setLslOutlets({ ...parsed.request, ...(values['lsl-name'] !== undefined && { name: values['lsl-name'] }) });
}

/** Opens the marker stream --lsl-markers names (after connect); says which stream it took. */
export async function applyLslMarkersFlag(engine: Engine, values: { readonly 'lsl-markers'?: string }): Promise<void> {
  const selector = values['lsl-markers'];
  if (selector === undefined) return;
  const stream = await engine.addLslMarkers(selector);
  process.stderr.write(`bci: taking markers from the LSL stream "${stream.name}" (${stream.type} on ${stream.hostname})\n`);
}

export const LSL_HELP = `Usage: bci lsl list [--timeout S] [--format text|json]

Lists the Lab Streaming Layer streams this machine resolves (name, type, host, channels, rate,
format, source_id) after waiting S seconds (default 1). Take one as the board with
\`--board lsl --lsl-stream NAME\` (or --lsl-stream type=EEG), or as markers with --lsl-markers NAME.
liblsl is found through LSL_LIB, a system install, pylsl's copy or the lsl.js package's prebuilt one;
LSLAPICFG names an lsl_api.cfg (e.g. ResolveScope = machine to stay on this machine).`;

export async function lslCommand(argv: string[], engine: Engine): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { timeout: { type: 'string', default: '1' }, format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(LSL_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'list') throw new UsageError('bci lsl takes one subcommand: list (bci lsl list [--timeout S])');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format is text or json, got "${values.format}"`);
  const timeoutSec = parseNumber('timeout', values.timeout, { min: 0 });
  const streams = await engine.listLslStreams(timeoutSec);
  if (values.format === 'json') {
    process.stdout.write(JSON.stringify(streams, null, 2) + '\n');
    return 0;
  }
  if (streams.length === 0) {
    process.stdout.write(`no LSL streams found within ${timeoutSec} s\n`);
    return 0;
  }
  for (const s of streams) {
    const rate = s.nominalRateHz > 0 ? `${s.nominalRateHz} Hz` : 'irregular';
    process.stdout.write(`${s.name}  type ${s.type}  on ${s.hostname}  ${s.channelCount} ch  ${rate}  ${s.channelFormat}  source_id ${s.sourceId || '(none)'}\n`);
  }
  return 0;
}

/** Prints the link's changes (an LSL stream or a serial board that drops and comes back) on standard error. */
export function reportLinkChanges(engine: Engine): void {
  let last = engine.getStatus().link?.state;
  engine.on('status', (status) => {
    const link = status.link;
    if (!link || link.state === last) return;
    last = link.state;
    // the board closed on purpose at the end of the run is no news
    if (link.state === 'closed') return;
    process.stderr.write(`bci: ${link.state}${link.message ? `: ${link.message}` : ''}\n`);
  });
}
