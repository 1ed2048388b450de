// `bci impedance` and `bci config`: an amplifier's electrodes and channel settings (the Cyton).

import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import type { ChannelSettingsChange } from '../engine/boards/driver.js';
import { CYTON_GAINS, CYTON_INPUT_TYPES } from '../common/boards/cyton-protocol.js';
import { IMPEDANCE_FAIR_BELOW_KOHM, IMPEDANCE_GOOD_BELOW_KOHM } from '../common/boards/cyton-impedance.js';
import type { AmplifierChannelSettings } from '../common/boards/amplifier.js';
import { UsageError } from './errors.js';
import { parseNumber } from './filter-args.js';
import { boardIdsWith } from './board-args.js';

const IMPEDANCE_BOARDS = boardIdsWith('impedance');
const SETTINGS_BOARDS = boardIdsWith('amplifierSettings');

export const IMPEDANCE_HELP = `Usage: bci impedance --board ${IMPEDANCE_BOARDS.join('|')} [--port PATH|auto] [--channels 1,2,…]

Measures each electrode's impedance with the board's lead-off test (6 nA at 31.25 Hz on the N
input): impedance ≈ √2 · Vrms / 6 nA minus the board's 2.2 kΩ series resistor. Good below
${IMPEDANCE_GOOD_BELOW_KOHM} kΩ, fair below ${IMPEDANCE_FAIR_BELOW_KOHM} kΩ, bad above (or railed: the electrode is off). The board returns to
normal afterwards.`;

export const CONFIG_HELP = `Usage: bci config --board ${SETTINGS_BOARDS.join('|')} [--port PATH|auto] --channel N[,N…] [settings]
       bci config --board ${SETTINGS_BOARDS[0]} --reset | --dump

Changes channel settings on the board (x CH POWER GAIN INPUT BIAS SRB2 SRB1 X), and prints the
settings the board confirmed. Channels are 1-8 (9-16 on the Daisy).

  --gain G          ${CYTON_GAINS.join(', ')}
  --input TYPE      ${CYTON_INPUT_TYPES.join(', ')}
  --power on|off    --bias on|off    --srb2 on|off    --srb1 on|off
  --reset           back to the board's defaults
  --dump            print the register dump (?)`;

const AMP_OPTIONS = { board: { type: 'string', default: IMPEDANCE_BOARDS[0] }, port: { type: 'string', default: 'auto' }, help: { type: 'boolean', short: 'h' } } as const;

async function withBoard<T>(board: string, port: string, run: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = new Engine();
  try {
    await engine.connect({ board, port });
    return await run(engine);
  } finally {
    await engine.dispose();
  }
}

function channelList(text: string, flag: string): number[] {
  return text.split(',').map((c) => {
    const n = parseNumber(flag, c.trim(), { integer: true, min: 1 });
    if (n > 16) throw new UsageError(`--${flag}: channels are 1-8 (9-16 on the Daisy), got ${n}`);
    return n;
  });
}

export async function impedanceCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...AMP_OPTIONS, channels: { type: 'string' } }, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(IMPEDANCE_HELP + '\n');
    return 0;
  }
  const channels = values.channels ? channelList(values.channels, 'channels') : undefined;
  const readings = await withBoard(values.board, values.port, (engine) => engine.measureImpedance(channels));
  process.stdout.write('channel  label     impedance   quality\n');
  for (const r of readings) {
    const value = r.railed ? 'railed' : `${r.impedanceKOhm.toFixed(1)} kΩ`;
    process.stdout.write(`${String(r.channel).padStart(7)}  ${r.label.padEnd(8)}  ${value.padStart(10)}   ${r.quality}\n`);
  }
  return 0;
}

function onOff(flag: string, text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new UsageError(`--${flag} is on or off, got "${text}"`);
}

export async function configCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...AMP_OPTIONS,
      channel: { type: 'string' },
      gain: { type: 'string' },
      input: { type: 'string' },
      power: { type: 'string' },
      bias: { type: 'string' },
      srb2: { type: 'string' },
      srb1: { type: 'string' },
      reset: { type: 'boolean' },
      dump: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(CONFIG_HELP + '\n');
    return 0;
  }
  let gain: number | undefined;
  if (values.gain !== undefined) {
    gain = parseNumber('gain', values.gain, { integer: true });
    if (!CYTON_GAINS.includes(gain)) throw new UsageError(`--gain must be one of ${CYTON_GAINS.join(', ')}, got ${values.gain}`);
  }
  if (values.input !== undefined && !(CYTON_INPUT_TYPES as readonly string[]).includes(values.input)) {
    throw new UsageError(`--input must be one of ${CYTON_INPUT_TYPES.join(', ')}, got "${values.input}"`);
  }
  const change = { gain, input: values.input, powerOn: onOff('power', values.power), bias: onOff('bias', values.bias), srb2: onOff('srb2', values.srb2), srb1: onOff('srb1', values.srb1) };
  const hasChange = Object.values(change).some((v) => v !== undefined);
  if (!values.reset && !values.dump && !hasChange) throw new UsageError('nothing to do: give --channel N with settings (--gain, --input, …), or --reset, or --dump');
  if (hasChange && !values.channel) throw new UsageError('--channel N is needed with channel settings');
  const channels = values.channel ? channelList(values.channel, 'channel') : [];
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  await withBoard(values.board, values.port, async (engine) => {
    if (values.reset) await engine.resetChannels();
    let settings: readonly AmplifierChannelSettings[] = [];
    if (hasChange) settings = await engine.setChannels(channels.map((channel) => ({ channel, ...defined }) as ChannelSettingsChange));
    else if (values.reset) settings = await engine.resetChannels();
    settings.forEach((s, i) => process.stdout.write(`channel ${channels[i] ?? i + 1}: ${JSON.stringify(s)}\n`));
    if (values.dump) process.stdout.write((await engine.registerDump()) + '\n');
  });
  return 0;
}
