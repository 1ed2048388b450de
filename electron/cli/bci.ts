// `bci`: the workstation's command line. It hosts the same engine as the desktop app. Every error
// ends as one line on standard error and a non-zero exit; never a stack trace.

import { Engine } from '../engine/engine.js';
import { messageOf, UsageError } from './errors.js';
import { STREAM_HELP, streamCommand } from './stream.js';
import { SERVE_HELP, serveCommand } from './serve.js';
import { RECORD_HELP, recordCommand } from './record.js';
import { REPAIR_HELP, VERIFY_HELP, repairCommand, verifyCommand } from './files.js';
import { CONVERT_HELP, INFO_HELP, convertCommand, infoCommand } from './convert.js';
import { REPLAY_HELP, replayCommand } from './replay.js';
import { CONFIG_HELP, IMPEDANCE_HELP, configCommand, impedanceCommand } from './amplifier.js';

const HELP = `Usage: bci <command> [options]

Commands:
  boards                 list the boards the workstation can open
  stream                 stream filtered EEG from a board and print a summary
  serve                  serve the workstation to a browser (loopback, with a token)
  record                 record a board to BDF+/EDF+ with BIDS sidecars
  repair FILE            complete a recording cut off by a crash (--all: the data folder)
  verify FILE            check a recording against its SHA-256
  info FILE              what a recording holds (BDF, EDF, OpenBCI, BrainFlow CSV, XDF, BrainVision)
  convert IN OUT         convert a recording (optionally filtered) to BDF+, EDF+, CSV or OpenBCI text
  replay FILE            play a recording through the live pipeline, at any speed
  impedance              measure electrode impedance on a Cyton (--board cyton --port PATH|auto)
  config                 change a Cyton's channel settings (gain, input, power, bias, SRB)
  help [command]         show help for a command

Run \`bci <command> --help\` for a command's options. Example:
  bci stream --board synthetic --duration 10 --bandpass 1-40 --notch 50`;

async function boardsCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: bci boards\n\nLists the boards the workstation can open, by id.\n');
    return 0;
  }
  if (argv.length > 0) throw new UsageError(`bci boards takes no arguments (got "${argv.join(' ')}")`);
  const engine = new Engine();
  const boards = engine.listBoards();
  const width = Math.max(...boards.map((b) => b.id.length));
  for (const b of boards) process.stdout.write(`${b.id.padEnd(width)}  ${b.name}: ${b.summary}\n`);
  const ports = await engine.listPorts().catch(() => []);
  process.stdout.write(`\nserial ports${ports.length ? ':' : ': none found'}\n`);
  for (const p of ports) process.stdout.write(`  ${p.path}  ${p.description}${p.openBciDongle ? '  (OpenBCI dongle: --port auto picks it)' : ''}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(HELP + '\n');
      return 0;
    case 'help':
      process.stdout.write((rest[0] === 'stream' ? STREAM_HELP : rest[0] === 'serve' ? SERVE_HELP : rest[0] === 'record' ? RECORD_HELP : rest[0] === 'repair' ? REPAIR_HELP : rest[0] === 'verify' ? VERIFY_HELP : rest[0] === 'info' ? INFO_HELP : rest[0] === 'convert' ? CONVERT_HELP : rest[0] === 'replay' ? REPLAY_HELP : rest[0] === 'impedance' ? IMPEDANCE_HELP : rest[0] === 'config' ? CONFIG_HELP : HELP) + '\n');
      return 0;
    case 'boards':
      return boardsCommand(rest);
    case 'stream':
      return streamCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'record':
      return recordCommand(rest);
    case 'repair':
      return repairCommand(rest);
    case 'verify':
      return verifyCommand(rest);
    case 'info':
      return infoCommand(rest);
    case 'convert':
      return convertCommand(rest);
    case 'replay':
      return replayCommand(rest);
    case 'impedance':
      return impedanceCommand(rest);
    case 'config':
      return configCommand(rest);
    default:
      throw new UsageError(`unknown command "${command}": run \`bci --help\` for the list`);
  }
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
    process.exitCode = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  },
);
