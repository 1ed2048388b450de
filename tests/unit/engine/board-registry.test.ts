// Every board in the registry, driven from what it says about itself: from its capabilities and
// option fields alone (never its id) a test builds connect options that the engine accepts, and
// out-of-range, foreign and unknown options that it refuses in one sentence naming the option;
// the driver it builds has the capabilities the board claims.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listBoards, openBoard } from '../../../electron/engine/boards/registry.js';
import { isAmplifier } from '../../../electron/engine/boards/driver.js';
import { Engine } from '../../../electron/engine/engine.js';
import { CytonEmulator } from '../../support/cyton-emulator.js';
import { socatAvailable } from '../../support/socat.js';
import { keepLslOnThisMachine, uniqueName } from '../../support/lsl.js';
import { tempDir } from '../../support/tmp.js';
import { LSL_FORMAT, loadLsl } from '../../../native/lsl.js';
import {
  BOARD_KINDS,
  boardOptionsSchema,
  validateBoardOptions,
  type BoardConnection,
  type BoardInfo,
  type BoardOptionField,
} from '../../../electron/common/contract/board-options.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const RECORDING = join(root, '..', 'shared', 'data', 'mne-python', 'edf', 'test.edf');

/** What a picker would put in the connection field, by kind of connection. */
const CONNECTION_TARGET: Record<Exclude<BoardConnection, 'none'>, string> = {
  'serial-port': '/dev/ttyUSB-test',
  file: RECORDING,
  'network-address': '127.0.0.1:6677',
  'lsl-stream': uniqueName('bci-test-stream'),
};
keepLslOnThisMachine(tempDir('bci-registry-lsl-'));

/** A value a form would offer for a field: the connection target, its default, or the low end of its range. */
function validValue(board: BoardInfo, field: BoardOptionField): unknown {
  const connection = board.capabilities.connection;
  if (field.key === board.capabilities.connectionField && connection !== 'none') return CONNECTION_TARGET[connection];
  if (field.default !== undefined) return field.default;
  switch (field.type) {
    case 'integer':
    case 'number':
      return field.minExclusive ? field.min + 1 : field.min;
    case 'enum':
      return field.choices[0].value;
    case 'boolean':
      return false;
    case 'string':
      return 'x';
  }
}

/** Values the field's own description says are out of bounds. */
function invalidValues(field: BoardOptionField): unknown[] {
  switch (field.type) {
    case 'integer':
      return [field.min - 1, field.min + 0.5, 'lots', ...(field.max === undefined ? [] : [field.max + 1])];
    case 'number':
      return [field.minExclusive ? field.min : field.min - 1, 'lots', ...(field.max === undefined ? [] : [field.max + 1])];
    case 'enum':
      return ['not-a-choice', 12345];
    case 'boolean':
      return ['yes', 1];
    case 'string':
      return ['', 42, 'x'.repeat(field.maxLength + 1)];
  }
}

function minimalOptions(board: BoardInfo): Record<string, unknown> {
  const options: Record<string, unknown> = { board: board.id };
  for (const field of board.fields) if (field.required || field.key === board.capabilities.connectionField) options[field.key] = validValue(board, field);
  return options;
}

function fullOptions(board: BoardInfo): Record<string, unknown> {
  return Object.fromEntries([['board', board.id], ...board.fields.map((f) => [f.key, validValue(board, f)])]);
}

function expectRefusal(board: BoardInfo, options: Record<string, unknown>, mention: string | RegExp): void {
  const result = validateBoardOptions(listBoards(), options);
  expect(result.ok, `${board.id} ${JSON.stringify(options)}`).toBe(false);
  if (result.ok) return;
  expect(result.error).toMatch(mention);
  expect(result.error.split('\n')).toHaveLength(1);
  expect(() => openBoard(options)).toThrow(result.error);
}

const boards = listBoards();

describe('the board registry', () => {
  it('lists boards with unique ids, a known kind, and plain data that survives the wire', () => {
    expect(boards.length).toBeGreaterThan(0);
    expect(new Set(boards.map((b) => b.id)).size).toBe(boards.length);
    for (const board of boards) {
      expect(BOARD_KINDS).toContain(board.kind);
      expect(JSON.parse(JSON.stringify(board))).toEqual(board);
      expect(board.name.length).toBeGreaterThan(0);
      expect(board.summary.length).toBeGreaterThan(0);
      const { connection, connectionField } = board.capabilities;
      if (connection === 'none') expect(connectionField).toBeNull();
      else expect(board.fields.map((f) => f.key)).toContain(connectionField);
      const flags = board.fields.flatMap((f) => (f.cli ? [f.cli.flag] : []));
      expect(new Set(flags).size).toBe(flags.length);
      for (const field of board.fields) {
        expect(field.label.length).toBeGreaterThan(0);
        expect(field.help.length).toBeGreaterThan(0);
        if (field.type === 'enum') expect(field.choices.length).toBeGreaterThan(0);
      }
    }
  });

  it('an entry for boards whose library is missing refuses to open, for itself and its family, saying in one line how to get it', () => {
    for (const board of boards.filter((b) => b.unavailable !== undefined)) {
      expect(board.unavailable!.split('\n')).toHaveLength(1);
      expect(() => openBoard({ board: board.id })).toThrow(board.unavailable);
      expect(() => openBoard({ board: `${board.id}:anything` })).toThrow(board.unavailable);
    }
  });

  describe.each(boards.filter((b) => b.unavailable === undefined).map((b) => [b.id, b] as const))('%s', (_id, board) => {
    it('accepts options built from its fields, on the wire and for its kind; its driver has the capabilities it claims', () => {
      for (const options of [minimalOptions(board), fullOptions(board)]) {
        expect(boardOptionsSchema.safeParse(options).success, JSON.stringify(options)).toBe(true);
        const result = validateBoardOptions(boards, options);
        expect(result.ok ? '' : result.error).toBe('');
        // building the driver opens nothing (prepare does)
        const driver = openBoard(options);
        expect(isAmplifier(driver)).toBe(board.capabilities.amplifierSettings);
        expect(isAmplifier(driver)).toBe(board.capabilities.impedance);
        expect(typeof driver.controlPlayback === 'function').toBe(board.capabilities.playbackTransport);
      }
    });

    it('refuses out-of-range values, missing required fields, foreign and unknown options in a sentence naming them', () => {
      const valid = minimalOptions(board);
      for (const field of board.fields) {
        for (const value of invalidValues(field)) expectRefusal(board, { ...valid, [field.key]: value }, new RegExp(`^invalid board options: ${field.key}: `));
        if (field.required) {
          const { [field.key]: _dropped, ...without } = valid;
          expectRefusal(board, without, new RegExp(`^invalid board options: ${field.key}: `));
        }
      }
      const own = new Set(board.fields.map((f) => f.key));
      for (const other of boards) {
        for (const field of other.fields.filter((f) => !own.has(f.key))) {
          expectRefusal(board, { ...valid, [field.key]: validValue(other, field) }, new RegExp(`^${field.key} apply to the .*${other.id}.* only: ${board.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
        }
      }
      expectRefusal(board, { ...valid, bogus: 1 }, new RegExp(`takes no bogus: it `));
      // every refusal names the options at fault as structured issues, as every failure does
      const refused = validateBoardOptions(boards, { ...valid, bogus: 1 });
      expect(!refused.ok && refused.issues.map((i) => i.path)).toEqual(['bogus']);
    });

    // BrainFlow's hardware boards need their hardware: its synthetic board stands for them here
    // (brainflow:cyton on the emulator and brainflow:playback are proven in tests/integration/brainflow)
    const openableHere = board.kind !== 'brainflow' || board.id === 'brainflow:synthetic';
    // boards that need their hardware (BrainFlow's Bluetooth and network boards) are listed and checked above, not opened
    if (openableHere && (board.capabilities.connection !== 'serial-port' || socatAvailable())) it('connects through the engine with those options alone (a serial board: the Cyton emulator on a real pty)', async () => {
      const engine = new Engine();
      const options = minimalOptions(board);
      let emulator: CytonEmulator | undefined;
      let stopSender: (() => void) | undefined;
      if (board.capabilities.connection === 'serial-port') {
        emulator = await CytonEmulator.start({ daisy: board.capabilities.layout?.eegChannelCount === 16 });
        options[board.capabilities.connectionField ?? 'port'] = emulator.hostPath;
      }
      if (board.capabilities.connection === 'lsl-stream') {
        // an LSL stream by that name on this machine (the LSL board's own proofs are in tests/integration/lsl.test.ts)
        const lsl = loadLsl();
        const info = lsl.createInfo(CONNECTION_TARGET['lsl-stream'], 'EEG', 4, 250, LSL_FORMAT.float32, CONNECTION_TARGET['lsl-stream']);
        const outlet = lsl.createOutlet(info);
        lsl.destroyInfo(info);
        stopSender = () => lsl.destroyOutlet(outlet);
      }
      try {
        const descriptor = await engine.connect(options);
        expect(descriptor.channels.length).toBeGreaterThan(0);
        const layout = board.capabilities.layout;
        if (layout) {
          expect(descriptor.sampleRateHz).toBe(layout.sampleRateHz);
          expect(descriptor.channels.filter((c) => c.type === 'eeg')).toHaveLength(layout.eegChannelCount);
        }
        expect(engine.getStatus().playback !== null).toBe(board.capabilities.playbackTransport);
      } finally {
        await engine.dispose();
        await emulator?.stop();
        stopSender?.();
      }
    });
  });

  it('refuses an unknown board, naming the ones there are', () => {
    const result = validateBoardOptions(boards, { board: 'nope' });
    const error = `unknown board "nope": choose one of ${boards.map((b) => b.id).join(', ')} (see \`bci boards\`)`;
    expect(result).toEqual({ ok: false, error, issues: [{ path: 'board', message: error }] });
  });
});
