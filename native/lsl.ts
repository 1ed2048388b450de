// Lab Streaming Layer: liblsl's C API bound with koffi (no compiled addon). This module owns finding
// the library, the handful of C functions the workstation uses (stream infos and their XML
// description, outlets, inlets, the resolver, time correction, lsl_local_clock), and freeing what
// the library allocates. Everything above it (engine/lsl/*) speaks in typed arrays and strings.
//
// The library is looked for, in order: `LSL_LIB` (a path), the system's places (/usr/lib,
// /usr/local/lib, …), pylsl's bundled copy, then the prebuilt liblsl 1.12 of the `lsl.js` npm
// package (only its binaries are used: its JavaScript and its ffi-napi install scripts are not).
// Where none loads, `loadLsl()` throws an EngineError('unsupported') with one sentence saying so;
// nothing else in the workstation needs liblsl.
//
// Blocking calls (resolving, time correction, opening a stream) run through koffi's `.async` on
// its worker threads, so the engine's event loop never waits on the network. Pushing and pulling
// (with a zero timeout) do not block: liblsl queues pushes for its own sender threads.

import koffi from 'koffi';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EngineError } from '../electron/common/contract/failure.js';

/** liblsl's channel formats (lsl_channel_format_t). */
export const LSL_FORMAT = { float32: 1, double64: 2, string: 3, int32: 4, int16: 5, int8: 6, int64: 7 } as const;
/** The formats' names, by number. */
export const LSL_FORMAT_NAME: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(LSL_FORMAT).map(([k, v]) => [v, k]));
/** liblsl's nominal rate of an irregular stream. */
export const LSL_IRREGULAR_RATE = 0;
/** liblsl's error codes (lsl_error_code_t). */
const LSL_ERRORS: Readonly<Record<number, string>> = { [-1]: 'timed out', [-2]: 'the stream was lost', [-3]: 'an argument was refused', [-4]: 'an internal error' };
const LSL_LOST = -2;
const LSL_TIMEOUT = -1;

type Handle = unknown;

/** What a resolved stream says about itself. */
export interface LslStreamInfo {
  readonly name: string;
  readonly type: string;
  readonly channelCount: number;
  readonly nominalRateHz: number;
  /** LSL_FORMAT's number. */
  readonly channelFormat: number;
  readonly sourceId: string;
  readonly hostname: string;
  readonly uid: string;
  /** The full XML (with the description: channel labels, units). */
  readonly xml: string;
}

function platformFileNames(): string[] {
  switch (process.platform) {
    case 'win32':
      return ['liblsl64.dll', 'lsl.dll'];
    case 'darwin':
      return ['liblsl.dylib', process.arch === 'arm64' ? 'liblslarm.dylib' : 'liblsl64.dylib'];
    default:
      return ['liblsl.so', 'liblsl.so.1', 'liblsl64.so'];
  }
}

function pythonPackageDirs(): string[] {
  const home = process.env.HOME;
  const dirs: string[] = ['/usr/lib/python3/dist-packages/pylsl/lib'];
  for (const base of [...(home ? [join(home, '.local/lib')] : []), '/usr/local/lib', '/usr/lib']) {
    let entries: string[] = [];
    try {
      entries = readdirSync(base).filter((e) => e.startsWith('python3'));
    } catch {
      continue;
    }
    for (const e of entries) for (const site of ['site-packages', 'dist-packages']) dirs.push(join(base, e, site, 'pylsl', 'lib'));
  }
  return dirs;
}

/** The folder of lsl.js's prebuilt binaries, looked for in every node_modules above this module and the working folder. */
function lslJsPrebuiltDirs(): string[] {
  const dirs: string[] = [];
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    dirs.push(join(dir, 'node_modules', 'lsl.js', 'prebuilt'));
    if (dirname(dir) === dir) break;
  }
  dirs.push(join(process.cwd(), 'node_modules', 'lsl.js', 'prebuilt'));
  return dirs;
}

/** Where liblsl is looked for, in order (LSL_LIB first). Exported for the tests and `bci lsl --where`. */
export function lslCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const names = platformFileNames();
  const system = process.platform === 'win32' ? [] : ['/usr/lib', '/usr/local/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/opt/homebrew/lib'];
  const prebuilt = process.platform === 'linux' ? ['liblsl64.so'] : process.platform === 'win32' ? ['liblsl64.dll'] : [process.arch === 'arm64' ? 'liblslarm.dylib' : 'liblsl64.dylib'];
  // an LSL_LIB given is the user's choice: only it is tried
  if (env.LSL_LIB) return [env.LSL_LIB];
  return [
    ...system.flatMap((d) => names.map((n) => join(d, n))),
    ...pythonPackageDirs().flatMap((d) => names.map((n) => join(d, n))),
    ...lslJsPrebuiltDirs().flatMap((d) => prebuilt.map((n) => join(d, n))),
  ];
}

const NOT_FOUND =
  'LSL is not available: no liblsl was found (set LSL_LIB to the path of liblsl, install liblsl or pylsl, or keep the lsl.js package that carries a prebuilt one); everything else works without it';

export class LslLibrary {
  readonly path: string;
  readonly version: number;
  private readonly f;

  constructor(path: string) {
    const lib = koffi.load(path);
    this.path = path;
    const fn = (signature: string) => lib.func(signature);
    this.f = {
      libraryVersion: fn('int lsl_library_version()'),
      localClock: fn('double lsl_local_clock()'),
      destroyString: fn('void lsl_destroy_string(void *s)'),
      createInfo: fn('void *lsl_create_streaminfo(const char *name, const char *type, int channel_count, double nominal_srate, int channel_format, const char *source_id)'),
      destroyInfo: fn('void lsl_destroy_streaminfo(void *info)'),
      getName: fn('const char *lsl_get_name(void *info)'),
      getType: fn('const char *lsl_get_type(void *info)'),
      getChannelCount: fn('int lsl_get_channel_count(void *info)'),
      getRate: fn('double lsl_get_nominal_srate(void *info)'),
      getFormat: fn('int lsl_get_channel_format(void *info)'),
      getSourceId: fn('const char *lsl_get_source_id(void *info)'),
      getHostname: fn('const char *lsl_get_hostname(void *info)'),
      getUid: fn('const char *lsl_get_uid(void *info)'),
      getXml: fn('void *lsl_get_xml(void *info)'),
      getDesc: fn('void *lsl_get_desc(void *info)'),
      appendChild: fn('void *lsl_append_child(void *e, const char *name)'),
      appendChildValue: fn('void *lsl_append_child_value(void *e, const char *name, const char *value)'),
      createOutlet: fn('void *lsl_create_outlet(void *info, int chunk_size, int max_buffered)'),
      destroyOutlet: fn('void lsl_destroy_outlet(void *outlet)'),
      pushChunkDtnp: fn('int lsl_push_chunk_dtnp(void *outlet, const double *data, unsigned long data_elements, const double *timestamps, int pushthrough)'),
      pushSampleStrtp: fn('int lsl_push_sample_strtp(void *outlet, const char **data, double timestamp, int pushthrough)'),
      haveConsumers: fn('int lsl_have_consumers(void *outlet)'),
      resolveByprop: fn('int lsl_resolve_byprop(void *buffer, unsigned int buffer_elements, const char *prop, const char *value, int minimum, double timeout)'),
      resolveAll: fn('int lsl_resolve_all(void *buffer, unsigned int buffer_elements, double wait_time)'),
      createInlet: fn('void *lsl_create_inlet(void *info, int max_buflen, int max_chunklen, int recover)'),
      destroyInlet: fn('void lsl_destroy_inlet(void *inlet)'),
      getFullinfo: fn('void *lsl_get_fullinfo(void *inlet, double timeout, _Out_ int *ec)'),
      openStream: fn('void lsl_open_stream(void *inlet, double timeout, _Out_ int *ec)'),
      timeCorrection: fn('double lsl_time_correction(void *inlet, double timeout, _Out_ int *ec)'),
      pullChunkD: fn('unsigned long lsl_pull_chunk_d(void *inlet, double *data, double *timestamps, unsigned long data_elements, unsigned long timestamp_elements, double timeout, _Out_ int *ec)'),
      pullSampleStr: fn('double lsl_pull_sample_str(void *inlet, void *buffer, int buffer_elements, double timeout, _Out_ int *ec)'),
    };
    this.version = this.f.libraryVersion() as number;
  }

  /** LSL's clock (seconds, the same monotonic clock in every process of this machine). */
  localClock(): number {
    return this.f.localClock() as number;
  }

  createInfo(name: string, type: string, channelCount: number, nominalRateHz: number, format: number, sourceId: string): Handle {
    return this.f.createInfo(name, type, channelCount, nominalRateHz, format, sourceId);
  }

  destroyInfo(info: Handle): void {
    this.f.destroyInfo(info);
  }

  /** The <desc> element of a stream info, to append the description to. */
  desc(info: Handle): Handle {
    return this.f.getDesc(info);
  }

  appendChild(element: Handle, name: string): Handle {
    return this.f.appendChild(element, name);
  }

  appendChildValue(element: Handle, name: string, value: string): Handle {
    return this.f.appendChildValue(element, name, value);
  }

  readInfo(info: Handle): LslStreamInfo {
    const xmlPtr = this.f.getXml(info);
    const xml = koffi.decode(xmlPtr, 'char', -1) as string;
    this.f.destroyString(xmlPtr);
    return {
      name: this.f.getName(info) as string,
      type: this.f.getType(info) as string,
      channelCount: this.f.getChannelCount(info) as number,
      nominalRateHz: this.f.getRate(info) as number,
      channelFormat: this.f.getFormat(info) as number,
      sourceId: this.f.getSourceId(info) as string,
      hostname: this.f.getHostname(info) as string,
      uid: this.f.getUid(info) as string,
      xml,
    };
  }

  createOutlet(info: Handle, chunkSize = 0, maxBufferedSec = 360): Handle {
    const outlet = this.f.createOutlet(info, chunkSize, maxBufferedSec);
    if (!outlet) throw new EngineError('device', 'liblsl could not create an outlet (see its log on standard error)');
    return outlet;
  }

  destroyOutlet(outlet: Handle): void {
    this.f.destroyOutlet(outlet);
  }

  /** Pushes rows × channels interleaved values with one timestamp per row (LSL seconds). Does not block. */
  pushChunk(outlet: Handle, data: Float64Array, valueCount: number, timestamps: Float64Array): void {
    const ec = this.f.pushChunkDtnp(outlet, data, valueCount, timestamps, 1) as number;
    if (ec < 0) throw new EngineError('device', `liblsl refused a chunk: ${LSL_ERRORS[ec] ?? ec}`);
  }

  pushString(outlet: Handle, value: string, timestamp: number): void {
    const ec = this.f.pushSampleStrtp(outlet, [value], timestamp, 1) as number;
    if (ec < 0) throw new EngineError('device', `liblsl refused a marker: ${LSL_ERRORS[ec] ?? ec}`);
  }

  haveConsumers(outlet: Handle): boolean {
    return (this.f.haveConsumers(outlet) as number) !== 0;
  }

  /**
   * Streams on the network (the machine, with ResolveScope = machine) matching `prop = value`
   * (name, type, source_id…), or all of them without a predicate, after waiting up to timeoutSec.
   * Runs on a koffi worker thread. The infos are read and freed here.
   */
  async resolve(timeoutSec: number, match?: { prop: string; value: string }, minimum = 1): Promise<LslStreamInfo[]> {
    const handles = await this.resolveHandles(timeoutSec, match, minimum);
    try {
      return handles.map((h) => this.readInfo(h));
    } finally {
      for (const h of handles) this.f.destroyInfo(h);
    }
  }

  /** As resolve, but the infos stay alive (for an inlet): the caller frees them with destroyInfo. */
  async resolveHandles(timeoutSec: number, match?: { prop: string; value: string }, minimum = 1): Promise<Handle[]> {
    const max = 64;
    const buffer = koffi.alloc('void *', max);
    try {
      const count = match
        ? ((await promisify(this.f.resolveByprop.async)(buffer, max, match.prop, match.value, minimum, timeoutSec)) as number)
        : ((await promisify(this.f.resolveAll.async)(buffer, max, timeoutSec)) as number);
      if (count <= 0) return [];
      return koffi.decode(buffer, koffi.array('void *', count, 'Array')) as Handle[];
    } finally {
      koffi.free(buffer);
    }
  }

  /** An inlet on a resolved stream; `recover` reconnects by itself when a stream of the same source_id comes back. */
  createInlet(info: Handle, maxBufferedSec = 360, recover = true): Handle {
    const inlet = this.f.createInlet(info, maxBufferedSec, 0, recover ? 1 : 0);
    if (!inlet) throw new EngineError('device', 'liblsl could not create an inlet');
    return inlet;
  }

  destroyInlet(inlet: Handle): void {
    this.f.destroyInlet(inlet);
  }

  /** The stream's full info with its description (channel labels, units), from the sender. */
  async fullInfo(inlet: Handle, timeoutSec: number): Promise<LslStreamInfo> {
    const ec = [0];
    const info = await promisify(this.f.getFullinfo.async)(inlet, timeoutSec, ec);
    if (ec[0] !== 0 || !info) throw new EngineError('device', `could not read the LSL stream's description: ${LSL_ERRORS[ec[0]] ?? ec[0]}`);
    try {
      return this.readInfo(info);
    } finally {
      this.f.destroyInfo(info);
    }
  }

  async openStream(inlet: Handle, timeoutSec: number): Promise<void> {
    const ec = [0];
    await promisify(this.f.openStream.async)(inlet, timeoutSec, ec);
    if (ec[0] !== 0) throw new EngineError('device', `could not open the LSL stream: ${LSL_ERRORS[ec[0]] ?? ec[0]}`);
  }

  /** Seconds to add to the stream's timestamps for this machine's lsl_local_clock (null when it timed out). */
  async timeCorrection(inlet: Handle, timeoutSec: number): Promise<number | null> {
    const ec = [0];
    const value = (await promisify(this.f.timeCorrection.async)(inlet, timeoutSec, ec)) as number;
    if (ec[0] === LSL_TIMEOUT || ec[0] === LSL_LOST) return null;
    if (ec[0] !== 0) throw new EngineError('device', `LSL time correction failed: ${LSL_ERRORS[ec[0]] ?? ec[0]}`);
    return value;
  }

  /** Pulls what is there now (never waits): the number of rows written into data / timestamps. */
  pullChunk(inlet: Handle, data: Float64Array, timestamps: Float64Array, ec: number[]): number {
    const values = this.f.pullChunkD(inlet, data, timestamps, data.length, timestamps.length, 0, ec) as number;
    if (ec[0] !== 0 && ec[0] !== LSL_TIMEOUT) throw new EngineError('device', `LSL stream: ${LSL_ERRORS[ec[0]] ?? ec[0]}`);
    return timestamps.length > 0 ? Math.round(values / Math.max(1, data.length / timestamps.length)) : 0;
  }

  /** Pulls one string sample if one is there now: [value, timestamp], or null. */
  pullString(inlet: Handle, scratch: number[]): [string, number] | null {
    const buffer = koffi.alloc('void *', 1);
    try {
      const timestamp = this.f.pullSampleStr(inlet, buffer, 1, 0, scratch) as number;
      if (scratch[0] !== 0 && scratch[0] !== LSL_TIMEOUT) throw new EngineError('device', `LSL marker stream: ${LSL_ERRORS[scratch[0]] ?? scratch[0]}`);
      if (!(timestamp > 0)) return null;
      const ptr = koffi.decode(buffer, 'void *');
      const value = koffi.decode(ptr, 'char', -1) as string;
      this.f.destroyString(ptr);
      return [value, timestamp];
    } finally {
      koffi.free(buffer);
    }
  }
}

let loaded: LslLibrary | undefined;
let failure: string | undefined;

/** liblsl, loaded once from the first place it is found; throws EngineError('unsupported') with one sentence where none is. */
export function loadLsl(): LslLibrary {
  if (loaded) return loaded;
  if (failure) throw new EngineError('unsupported', failure);
  const tried: string[] = [];
  for (const path of lslCandidates()) {
    if (!existsSync(path)) continue;
    try {
      loaded = new LslLibrary(path);
      return loaded;
    } catch (error) {
      tried.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  failure = process.env.LSL_LIB && !existsSync(process.env.LSL_LIB) ? `LSL is not available: LSL_LIB names ${process.env.LSL_LIB}, which does not exist (unset it to use a system or packaged liblsl); everything else works without it` : NOT_FOUND;
  if (tried.length) failure += ` (${tried.join('; ')})`;
  throw new EngineError('unsupported', failure);
}
