// `bci montage list|show|save|delete`: the site's named montages (label, type and 10-20 position
// per channel) in the data folder. The engine owns them (engine/montage); this file only parses
// flags and files, and prints. `bci record --montage NAME` applies one before recording.

import { parseArgs } from 'node:util';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Engine } from '../engine/engine.js';
import { UsageError } from './errors.js';
import { defaultDataDir } from '../engine/recording/recording.js';
import { MONTAGE_TYPES, montageTable, parseMontageTable, type Montage, type MontageInput } from '../common/contract/montage.js';

export const MONTAGE_HELP = `Usage: bci montage list|show|save|delete [options]

Named montages, kept in the data folder (montages.json): for each channel of a board, in order, a
label, a type (${MONTAGE_TYPES.join(', ')}) and optionally its 10-20 / 10-10 position (Fp1, Cz,
O2, …; T3-T6 are read as T7/T8/P7/P8). \`bci record --montage NAME\` (and the app's Montage panel)
applies one to the connected board: its labels go into the file header (EOG, EMG, ECG and misc
channels as "EOG HEOG"), channels.tsv, electrodes.tsv and the session file. A montage names every
channel of the board (the Cyton's 8 EEG and 3 accelerometer channels: 11).

  bci montage list                   every saved montage
  bci montage show NAME [--csv]      one montage (--csv: as a table that \`save --from\` reads)
  bci montage save NAME --from FILE [--replace] [--notes TEXT]
                                     FILE is a CSV or TSV table with a header row,
                                       label,type,position
                                       Fp1,eeg,Fp1
                                       HEOG,eog,
                                     (type defaults to eeg, position to none), or a JSON file
                                     {"channels": [{"label": "Fp1", "type": "eeg", "position": "Fp1"}, …]}
  bci montage save NAME --channels LIST [--replace]
                                     the same inline: label[:type[:position]], comma-separated,
                                     e.g. --channels "Fp1:eeg:Fp1,Fp2,HEOG:eog,AccelX:accel"
  bci montage delete NAME            recordings made with it keep their copy (session file)

A montage of the same name is replaced only with --replace. All take --data-dir DIR (default
$BCI_DATA_DIR or ~/BCI-Workstation/data) and --json.`;

const MAX_TABLE_BYTES = 1024 * 1024;

function readTable(path: string): MontageInput['channels'] {
  let text: string;
  try {
    if (statSync(path).size > MAX_TABLE_BYTES) throw new UsageError(`${path} is larger than 1 MB: it is not a montage table`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read the montage file ${path} (${(error as { code?: string }).code ?? String(error)}): give a CSV, TSV or JSON file`);
  }
  if (extname(path).toLowerCase() !== '.json') return parseMontageTable(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON: give {"channels": [{"label": …, "type": …, "position": …}, …]}, or a CSV table`);
  }
  const channels = Array.isArray(json) ? json : (json as { channels?: unknown } | null)?.channels;
  if (!Array.isArray(channels)) throw new UsageError(`${path} has no "channels" list: give {"channels": [{"label": …, "type": …, "position": …}, …]}`);
  return channels as MontageInput['channels'];
}

function inlineChannels(list: string): MontageInput['channels'] {
  return list.split(',').map((item) => {
    const [label = '', type, position] = item.split(':').map((p) => p.trim());
    return { label, type: (type === undefined || type === '' ? 'eeg' : type.toLowerCase()) as MontageInput['channels'][number]['type'], ...(position !== undefined && position !== '' && { position }) };
  });
}

function describe(m: Montage): string {
  const rows = m.channels.map((c, i) => `  ${String(i + 1).padStart(3)}  ${c.label.padEnd(16)} ${c.type.padEnd(6)} ${c.position ?? '-'}`);
  return [`${m.name}  (${m.channels.length} channels${m.savedAt ? `, saved ${m.savedAt.slice(0, 16).replace('T', ' ')} UTC` : ''})`, ...(m.notes ? [`  notes  ${m.notes}`] : []), ...rows].join('\n');
}

export async function montageCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') {
    process.stdout.write(MONTAGE_HELP + '\n');
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      from: { type: 'string' },
      channels: { type: 'string' },
      replace: { type: 'boolean' },
      notes: { type: 'string' },
      csv: { type: 'boolean' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(MONTAGE_HELP + '\n');
    return 0;
  }
  const store = new Engine().montageStore(values['data-dir'] ?? defaultDataDir());
  const print = (text: string, json: unknown): void => void process.stdout.write((values.json ? JSON.stringify(json, null, 2) : text) + '\n');
  const name = (): string => {
    if (positionals.length !== 1) throw new UsageError(`bci montage ${action} needs one montage name${positionals.length > 1 ? ` (got ${positionals.length}: quote a name with spaces)` : ''}`);
    return positionals[0];
  };
  switch (action) {
    case 'list': {
      const all = store.list();
      print(all.length === 0 ? `no montages in ${store.dataDir} (save one with \`bci montage save NAME --from FILE\`)` : all.map((m) => `${m.name.padEnd(24)} ${String(m.channels.length).padStart(3)} channels  ${m.channels.map((c) => c.label).join(' ')}`).join('\n'), all);
      return 0;
    }
    case 'show': {
      const m = store.get(name());
      if (values.csv) process.stdout.write(montageTable(m));
      else print(describe(m), m);
      return 0;
    }
    case 'save': {
      const montageName = name();
      if ((values.from === undefined) === (values.channels === undefined)) throw new UsageError('bci montage save needs the channels: --from FILE (CSV, TSV or JSON) or --channels "label:type:position,…" (one of them)');
      const channels = values.from !== undefined ? readTable(values.from) : inlineChannels(values.channels!);
      const { montage, replaced } = store.save({ name: montageName, channels, ...(values.notes !== undefined && { notes: values.notes }) }, { replace: values.replace ?? false });
      print(`${replaced ? 'replaced' : 'saved'} montage ${montage.name} in ${store.path}\n${describe(montage)}`, montage);
      return 0;
    }
    case 'delete': {
      const m = store.delete(name());
      print(`deleted montage ${m.name} from ${store.path}`, m);
      return 0;
    }
    default:
      throw new UsageError(`bci montage takes list, show, save or delete (got "${action}")`);
  }
}
