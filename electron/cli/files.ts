// `bci repair` and `bci verify`: the recordings' safety net.

import { parseArgs } from 'node:util';
import { describeRepair, repairRecording, verifyRecording, recoverUnfinished } from '../engine/recording/repair.js';
import { defaultDataDir } from '../engine/recording/recording.js';
import { UsageError } from './errors.js';

export const REPAIR_HELP = `Usage: bci repair FILE | bci repair --all [--data-dir DIR]

Completes a recording that was cut off (the process killed, the power lost): keeps every whole
second, annotations included, fixes the header's record count, refreshes the checksum and the
events/eeg.json sidecars. --all repairs every unfinished recording in the data folder (this also
happens by itself when \`bci record\`, \`bci serve\` or the desktop app starts).`;

export const VERIFY_HELP = `Usage: bci verify FILE

Checks a recording against the SHA-256 written beside it (FILE.sha256) when it was closed.`;


export function repairCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { all: { type: 'boolean' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(REPAIR_HELP + '\n');
    return 0;
  }
  if (values.all) {
    const dir = values['data-dir'] ?? defaultDataDir();
    const { recovered, failed } = recoverUnfinished(dir);
    if (recovered.length + failed.length === 0) process.stdout.write(`no unfinished recordings in ${dir}\n`);
    for (const r of recovered) process.stdout.write(describeRepair(r) + '\n');
    for (const f of failed) process.stderr.write(`bci: could not repair ${f.path}: ${f.reason}\n`);
    return failed.length ? 1 : 0;
  }
  if (positionals.length !== 1) throw new UsageError('bci repair takes one FILE (or --all)');
  process.stdout.write(describeRepair(repairRecording(positionals[0])) + '\n');
  return 0;
}

export function verifyCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(VERIFY_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('bci verify takes one FILE');
  const result = verifyRecording(positionals[0]);
  if (result.ok) {
    process.stdout.write(`${positionals[0]}: OK (sha256 ${result.sha256})\n`);
    return 0;
  }
  process.stderr.write(`bci: ${positionals[0]}: ${result.reason}\n`);
  return 1;
}
