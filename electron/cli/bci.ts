// `bci`: the workstation's command line. It hosts the same engine as the desktop app. Every error
// ends as one line on standard error and a non-zero exit; never a stack trace.

import { Engine } from '../engine/engine.js';
import { exitCodeFor, messageOf, UsageError } from './errors.js';
import { STREAM_HELP, streamCommand } from './stream.js';
import { SERVE_HELP, serveCommand } from './serve.js';
import { RECORD_HELP, recordCommand } from './record.js';
import { REPAIR_HELP, VERIFY_HELP, repairCommand, verifyCommand } from './files.js';
import { CONVERT_HELP, INFO_HELP, convertCommand, infoCommand } from './convert.js';
import { REPLAY_HELP, replayCommand } from './replay.js';
import { EVALUATE_HELP, EXPORT_ONNX_HELP, TRAIN_HELP, evaluateCommand, exportOnnxCommand, trainCommand } from './train.js';
import { CONFIG_HELP, IMPEDANCE_HELP, configCommand, impedanceCommand } from './amplifier.js';
import { capabilitiesLine, serialPortLines } from './board-args.js';
import { LSL_HELP, lslCommand } from './lsl-args.js';
import { ASSIST_HELP, assistCommand } from './assist.js';
import { AUDIT_HELP, auditCommand } from './audit.js';
import { PROTOCOL_HELP, SETTINGS_HELP, protocolCommand, settingsCommand } from './protocol.js';
import { MONTAGE_HELP, montageCommand } from './montage.js';
import { joinNegativeValues } from './argv.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/paths.js';

interface Command {
  readonly name: string;
  /** Arguments shown in the command list. */
  readonly args?: string;
  readonly summary: string;
  readonly help: string;
  run(argv: string[]): number | Promise<number>;
}

const BOARDS_HELP =
  'Usage: bci boards\n\nLists the boards the workstation can open, by id, each with how it connects, what else it can do\n(amplifier settings, impedance, playback transport) and its flags; then the serial ports on this machine.';

async function boardsCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(BOARDS_HELP + '\n');
    return 0;
  }
  if (argv.length > 0) throw new UsageError(`bci boards takes no arguments (got "${argv.join(' ')}")`);
  const engine = new Engine();
  const all = engine.listBoards();
  const boards = all.filter((b) => b.unavailable === undefined);
  const width = Math.max(...boards.map((b) => b.id.length));
  for (const b of boards) process.stdout.write(`${b.id.padEnd(width)}  ${b.name}: ${b.summary}\n${''.padEnd(width)}  ${capabilitiesLine(b)}\n`);
  // boards that need a library this machine lacks: one line each, saying how to get it
  for (const b of all) if (b.unavailable !== undefined) process.stdout.write(`\n${b.unavailable}\n`);
  const ports = await engine.listPorts().catch(() => []);
  process.stdout.write(serialPortLines(ports).join('\n') + '\n');
  return 0;
}

async function runLsl(argv: string[]): Promise<number> {
  const engine = new Engine();
  try {
    return await lslCommand(argv, engine);
  } finally {
    await engine.dispose();
  }
}

const COMMANDS: readonly Command[] = [
  { name: 'boards', summary: 'list the boards the workstation can open, and the serial ports', help: BOARDS_HELP, run: boardsCommand },
  { name: 'stream', summary: 'stream filtered EEG from a board and print a summary', help: STREAM_HELP, run: streamCommand },
  { name: 'serve', summary: 'serve the workstation to a browser (loopback, with a token)', help: SERVE_HELP, run: serveCommand },
  { name: 'record', summary: 'record a board to BDF+/EDF+ with BIDS sidecars', help: RECORD_HELP, run: recordCommand },
  { name: 'protocol', args: 'add|list|show|retire', summary: 'protocols with their ethics approval (checked before every session)', help: PROTOCOL_HELP, run: protocolCommand },
  { name: 'settings', args: 'get|set', summary: 'site settings: requireProtocol, alert thresholds', help: SETTINGS_HELP, run: settingsCommand },
  { name: 'montage', args: 'list|show|save|delete', summary: 'named montages: label, type, 10-20 position per channel', help: MONTAGE_HELP, run: montageCommand },
  { name: 'repair', args: 'FILE', summary: 'complete a recording cut off by a crash (--all: the data folder)', help: REPAIR_HELP, run: repairCommand },
  { name: 'verify', args: 'FILE', summary: 'check a recording against its SHA-256', help: VERIFY_HELP, run: verifyCommand },
  { name: 'info', args: 'FILE', summary: 'what a recording holds (BDF, EDF, GDF, OpenBCI, BrainFlow CSV, XDF, BrainVision)', help: INFO_HELP, run: infoCommand },
  { name: 'convert', args: 'IN OUT', summary: 'convert a recording (optionally filtered) to BDF+, EDF+, CSV or OpenBCI text', help: CONVERT_HELP, run: convertCommand },
  { name: 'replay', args: 'FILE', summary: 'play a recording through the live pipeline, at any speed (--model: decode it online)', help: REPLAY_HELP, run: replayCommand },
  { name: 'train', args: 'FILE...', summary: 'train and cross-validate a decoder on recordings, write the model', help: TRAIN_HELP, run: trainCommand },
  { name: 'evaluate', args: 'MODEL FILE...', summary: "score a model on recordings' labelled events", help: EVALUATE_HELP, run: evaluateCommand },
  { name: 'export-onnx', args: 'MODEL OUT.onnx', summary: 'write a linear-adamw model as ONNX for other tools', help: EXPORT_ONNX_HELP, run: exportOnnxCommand },
  { name: 'assist', summary: 'assistive control without a screen: a model picks targets, outputs to devices, an audit log', help: ASSIST_HELP, run: assistCommand },
  { name: 'audit', args: 'verify|show FILE', summary: "check an assistive session's audit log (hash chain) or print it", help: AUDIT_HELP, run: auditCommand },
  { name: 'impedance', summary: 'measure electrode impedance on a Cyton (--board cyton --port PATH|auto)', help: IMPEDANCE_HELP, run: impedanceCommand },
  { name: 'lsl', args: 'list', summary: 'list the Lab Streaming Layer streams this machine resolves', help: LSL_HELP, run: runLsl },
  { name: 'config', summary: "change a Cyton's channel settings (gain, input, power, bias, SRB)", help: CONFIG_HELP, run: configCommand },
];

const HELP = `Usage: bci <command> [options]

Commands:
${COMMANDS.map((c) => `  ${`${c.name} ${c.args ?? ''}`.padEnd(22)} ${c.summary}`).join('\n')}
  ${'help [command]'.padEnd(22)} show help for a command (as \`bci COMMAND --help\`)
  ${'--version'.padEnd(22)} the workstation's version

Run \`bci <command> --help\` for a command's options. Example:
  bci stream --board synthetic --duration 10 --bandpass 1-40 --notch 50`;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return String(pkg.version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`bci (BCI Workstation) ${version()}\n`);
    return 0;
  }
  if (name === 'help') {
    if (rest.length === 0) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    // exactly what `bci COMMAND --help` prints
    const command = COMMANDS.find((c) => c.name === rest[0]);
    if (!command) throw new UsageError(`unknown command "${rest[0]}": run \`bci --help\` for the list`);
    return command.run(['--help']);
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}": run \`bci --help\` for the list`);
  return command.run(joinNegativeValues(rest));
}

// a closed pipe (`bci stream | head`) ends the command quietly, as Unix tools do
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // parseArgs reports unknown flags with a code; everything else is already a sentence
    const message = messageOf(error).replace(/\. To specify a positional argument.*$/, '');
    process.stderr.write(`bci: ${message}\n`);
    process.exitCode = exitCodeFor(error);
  },
);
