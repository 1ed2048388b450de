// BrainFlow's C libraries through koffi: where they are, loading them once, the calls the
// workstation makes, and the input-params JSON every call carries.
//
// Where (the first folder holding libBoardController wins):
//   1. BRAINFLOW_LIB_DIR
//   2. the `brainflow` npm package's lib/ folder (resolved from the workstation's package; in a
//      packaged app, unpacked beside the asar)
//   3. a `pip install brainflow`: brainflow/lib/ in the active virtualenv, the user's site-packages
//      and the system's
//   4. the app's settings folder: ~/BCI-Workstation/brainflow/ (or $BCI_SETTINGS_DIR/brainflow/)
//
// Blocking: prepare_session, start/stop/release and get_board_data may take seconds (serial
// handshakes, BLE), so they run as koffi asynchronous calls on koffi's worker threads (BrainFlow
// guards its sessions with its own mutex); only quick in-memory calls (descriptions, counts,
// insert_marker) are synchronous. Every call's exit code comes back as a number; the driver turns
// it into a sentence (common/boards/brainflow-boards.ts).

import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import koffi from 'koffi';

/** BrainFlow's input parameters, every key present (the library answers 17 to a JSON without one). */
export interface BrainflowInputParams {
  readonly serial_port: string;
  readonly mac_address: string;
  readonly ip_address: string;
  readonly ip_address_aux: string;
  readonly ip_address_anc: string;
  readonly ip_port: number;
  readonly ip_port_aux: number;
  readonly ip_port_anc: number;
  readonly ip_protocol: number;
  readonly other_info: string;
  readonly timeout: number;
  readonly serial_number: string;
  readonly file: string;
  readonly file_aux: string;
  readonly file_anc: string;
  readonly master_board: number;
}

export const EMPTY_INPUT_PARAMS: BrainflowInputParams = Object.freeze({
  serial_port: '',
  mac_address: '',
  ip_address: '',
  ip_address_aux: '',
  ip_address_anc: '',
  ip_port: 0,
  ip_port_aux: 0,
  ip_port_anc: 0,
  ip_protocol: 0,
  other_info: '',
  timeout: 0,
  serial_number: '',
  file: '',
  file_aux: '',
  file_anc: '',
  master_board: -100,
});

/** The input-params JSON with every key, in BrainFlow's bindings' order. */
export function inputParamsJson(params: Partial<BrainflowInputParams>): string {
  return JSON.stringify({ ...EMPTY_INPUT_PARAMS, ...params });
}

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, { board: string; data: string }>> = {
  linux: { board: 'libBoardController.so', data: 'libDataHandler.so' },
  darwin: { board: 'libBoardController.dylib', data: 'libDataHandler.dylib' },
  win32: { board: 'BoardController.dll', data: 'DataHandler.dll' },
};

export function libraryFileNames(platform: NodeJS.Platform = process.platform): { board: string; data: string } {
  return PLATFORM_NAMES[platform] ?? PLATFORM_NAMES.linux!;
}

/** The one line shown where no library is found (`bci boards`, the picker). */
export function missingLibraryMessage(platform: NodeJS.Platform = process.platform): string {
  return `BrainFlow boards: no BrainFlow library found: \`npm install brainflow\` beside the workstation, \`pip install brainflow\`, or set BRAINFLOW_LIB_DIR to a folder with ${libraryFileNames(platform).board} (or put it in ~/BCI-Workstation/brainflow/)`;
}

export interface LocateOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
  /** Resolves the `brainflow` npm package's package.json (default: require.resolve from here); undefined when absent. */
  readonly resolveNpmPackage?: () => string | undefined;
}

function defaultResolveNpm(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return require.resolve('brainflow/package.json').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  } catch {
    return undefined;
  }
}

function pythonSitePackages(env: NodeJS.ProcessEnv, home: string): string[] {
  const roots: string[] = [];
  const lib = (base: string) => {
    if (!existsSync(base)) return;
    for (const name of safeReaddir(base)) if (/^python3(\.\d+)?$/.test(name)) roots.push(join(base, name, 'site-packages'), join(base, name, 'dist-packages'));
  };
  if (env.VIRTUAL_ENV) lib(join(env.VIRTUAL_ENV, 'lib'));
  if (env.CONDA_PREFIX) lib(join(env.CONDA_PREFIX, 'lib'));
  lib(join(home, '.local', 'lib'));
  lib('/usr/local/lib');
  lib('/usr/lib');
  roots.push('/usr/lib/python3/dist-packages');
  return roots.map((r) => join(r, 'brainflow', 'lib'));
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The folders searched, in order, with where each came from. */
export function candidateFolders(options: LocateOptions = {}): { readonly dir: string; readonly source: string }[] {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const out: { dir: string; source: string }[] = [];
  if (env.BRAINFLOW_LIB_DIR) out.push({ dir: env.BRAINFLOW_LIB_DIR, source: 'BRAINFLOW_LIB_DIR' });
  const npm = (options.resolveNpmPackage ?? defaultResolveNpm)();
  if (npm) out.push({ dir: join(dirname(npm), 'lib'), source: 'the brainflow npm package' });
  for (const dir of pythonSitePackages(env, home)) out.push({ dir, source: 'pip install brainflow' });
  out.push({ dir: join(env.BCI_SETTINGS_DIR ?? join(home, 'BCI-Workstation'), 'brainflow'), source: 'the settings folder' });
  return out;
}

export interface LocatedLibrary {
  readonly dir: string;
  readonly source: string;
  readonly boardController: string;
  /** libDataHandler beside it, when there. */
  readonly dataHandler: string | undefined;
}

/** The first folder holding BrainFlow's board library, or undefined. BRAINFLOW_LIB_DIR set to a folder without it counts as not found. */
export function locateBrainflow(options: LocateOptions = {}): LocatedLibrary | undefined {
  const names = libraryFileNames(options.platform);
  for (const { dir, source } of candidateFolders(options)) {
    const boardController = join(dir, names.board);
    if (existsSync(boardController)) {
      const data = join(dir, names.data);
      return { dir, source, boardController, dataHandler: existsSync(data) ? data : undefined };
    }
  }
  return undefined;
}

type AsyncCall = (...args: unknown[]) => void;

/** One koffi function: the synchronous call, and the asynchronous one as a promise of its exit code. */
interface Bound {
  (...args: unknown[]): number;
  async: AsyncCall;
}

function promised(fn: Bound, args: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: unknown, code: number) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(code)));
  });
}

/** BrainFlow's board controller, bound. Exit codes are returned, never thrown. */
export class BrainflowLibrary {
  readonly located: LocatedLibrary;
  private readonly fns: Record<string, Bound>;

  constructor(located: LocatedLibrary) {
    this.located = located;
    const lib = koffi.load(located.boardController);
    const f = (decl: string) => lib.func(decl) as unknown as Bound;
    this.fns = {
      prepare: f('int prepare_session(int, const char *)'),
      start: f('int start_stream(int, const char *, int, const char *)'),
      stop: f('int stop_stream(int, const char *)'),
      release: f('int release_session(int, const char *)'),
      count: f('int get_board_data_count(int, _Out_ int *, int, const char *)'),
      data: f('int get_board_data(int, int, _Out_ double *, int, const char *)'),
      config: f('int config_board(const char *, _Out_ char *, _Out_ int *, int, int, const char *)'),
      marker: f('int insert_marker(double, int, int, const char *)'),
      descr: f('int get_board_descr(int, int, _Out_ char *, _Inout_ int *, int)'),
      logLevel: f('int set_log_level_board_controller(int)'),
      version: f('int get_version_board_controller(_Out_ char *, _Out_ int *, int)'),
    };
    // BrainFlow logs to stderr at level 2 (info) and up by default; the workstation says what matters itself
    this.fns.logLevel(6);
  }

  /** BrainFlow's description JSON of a board, or its exit code. */
  description(boardId: number, preset = 0): { code: number; json: string } {
    const buf = Buffer.alloc(1 << 17);
    const len = [0];
    const code = this.fns.descr(boardId, preset, buf, len, buf.length);
    return { code, json: code === 0 ? buf.toString('utf8', 0, len[0]) : '' };
  }

  version(): string {
    const buf = Buffer.alloc(256);
    const len = [0];
    return this.fns.version(buf, len, buf.length) === 0 ? buf.toString('utf8', 0, len[0]) : 'unknown';
  }

  prepare(boardId: number, params: string): Promise<number> {
    return promised(this.fns.prepare, [boardId, params]);
  }

  start(boardId: number, params: string, bufferSize: number): Promise<number> {
    return promised(this.fns.start, [bufferSize, '', boardId, params]);
  }

  stop(boardId: number, params: string): Promise<number> {
    return promised(this.fns.stop, [boardId, params]);
  }

  release(boardId: number, params: string): Promise<number> {
    return promised(this.fns.release, [boardId, params]);
  }

  /** Rows waiting in BrainFlow's buffer (a quick in-memory call). */
  count(boardId: number, params: string, out: Int32Array, preset = 0): number {
    return this.fns.count(preset, out, boardId, params);
  }

  /** Moves `rows` samples out of BrainFlow's buffer into `out` (numRows × rows, row-major), on a koffi worker thread. */
  data(boardId: number, params: string, rows: number, out: Float64Array, preset = 0): Promise<number> {
    return promised(this.fns.data, [rows, preset, out, boardId, params]);
  }

  /** The same, on this thread (for the benchmark's reference). */
  dataSync(boardId: number, params: string, rows: number, out: Float64Array, preset = 0): number {
    return this.fns.data(rows, preset, out, boardId, params);
  }

  config(boardId: number, params: string, command: string): { code: number; reply: string } {
    const buf = Buffer.alloc(8192);
    const len = [0];
    const code = this.fns.config(command, buf, len, buf.length, boardId, params);
    return { code, reply: code === 0 ? buf.toString('utf8', 0, len[0]) : '' };
  }

  insertMarker(boardId: number, params: string, value: number, preset = 0): number {
    return this.fns.marker(value, preset, boardId, params);
  }
}

let cached: { key: string; library: BrainflowLibrary | undefined; error: string | undefined } | undefined;

/**
 * The library, loaded once per location (BRAINFLOW_LIB_DIR may change between tests); `error`
 * is the one line to show when it is not there or does not load.
 */
export function loadBrainflow(options: LocateOptions = {}): { library: BrainflowLibrary; error?: undefined } | { library?: undefined; error: string } {
  const located = locateBrainflow(options);
  const key = located?.boardController ?? '';
  if (!cached || cached.key !== key) {
    if (!located) cached = { key, library: undefined, error: missingLibraryMessage(options.platform) };
    else {
      try {
        cached = { key, library: new BrainflowLibrary(located), error: undefined };
      } catch (e) {
        cached = { key, library: undefined, error: `BrainFlow boards: ${located.boardController} (from ${located.source}) does not load: ${(e as Error).message}` };
      }
    }
  }
  return cached.library ? { library: cached.library } : { error: cached.error ?? missingLibraryMessage(options.platform) };
}
