// The decoder registry: decoder kind → DecoderModule, for everything around the decoders (training,
// evaluation, model files, the pipeline worker), which never names a decoder itself. The built-in
// modules come from modules.ts (one line each); a developer can add modules at run time from ES
// module files (`loadDecoderPlugins`: the engine passes the list from BCI_DECODER_PLUGINS, and the
// same list to the pipeline worker, so a plugged-in decoder runs online too). Pure: no Node.

import type { Disposable } from '../disposable.js';
import { EngineError } from '../contract/failure.js';
import { DECODER_KINDS, type DecoderModule } from './decoder.js';
import * as builtIn from './modules.js';

/** A decoder module whatever its options' type (they come in as unknown and go through parseOptions). */
export type AnyDecoderModule = DecoderModule<unknown>;

const BUILT_IN: readonly AnyDecoderModule[] = Object.values(builtIn satisfies Record<string, AnyDecoderModule>);

const modules = new Map<string, AnyDecoderModule>(BUILT_IN.map((m) => [m.kind, m]));

/** The kinds this build (with its plugins) can train, load and run, in the order of DECODER_KINDS, then plug-ins. */
export function registeredDecoderKinds(): string[] {
  const known = DECODER_KINDS.filter((k) => modules.has(k));
  return [...known, ...[...modules.keys()].filter((k) => !(DECODER_KINDS as readonly string[]).includes(k))];
}

/** The module of a kind, or undefined. */
export function findDecoderModule(kind: string): AnyDecoderModule | undefined {
  return modules.get(kind);
}

/** The module of a kind; an unknown or absent kind is an invalid request, said in a sentence. */
export function decoderModule(kind: string): AnyDecoderModule {
  const module = modules.get(kind);
  if (module) return module;
  const available = registeredDecoderKinds();
  const have = available.length ? `this build has ${available.join(', ')}` : 'this build has no decoders yet';
  if ((DECODER_KINDS as readonly string[]).includes(kind)) throw new EngineError('invalid-request', `the ${kind} decoder is not part of this build (${have})`);
  throw new EngineError('invalid-request', `unknown decoder "${kind}": ${have}`);
}

function isDecoderModule(value: unknown): value is AnyDecoderModule {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<Record<keyof AnyDecoderModule, unknown>>;
  return typeof m.kind === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(m.kind) && typeof m.trainable === 'boolean' && typeof m.parseOptions === 'function' && typeof m.fit === 'function' && typeof m.fromJSON === 'function';
}

/**
 * Adds a module (a plug-in, or a test's). A kind that is already registered is refused, so a
 * plug-in never silently replaces a built-in decoder. Dispose the result to remove it again.
 */
export function registerDecoderModule(module: AnyDecoderModule): Disposable {
  if (!isDecoderModule(module)) throw new TypeError('a decoder module needs kind, trainable, parseOptions, fit and fromJSON');
  const existing = modules.get(module.kind);
  if (existing && existing !== module) throw new Error(`a decoder of kind "${module.kind}" is already registered`);
  modules.set(module.kind, module);
  return { dispose: () => void (modules.get(module.kind) === module && modules.delete(module.kind)) };
}

const loadedPlugins = new Map<string, Promise<void>>();

/**
 * Imports decoder plug-ins (ES module URLs, each exporting `decoderModules`: an array of
 * DecoderModules) and registers their modules; each URL is imported once per thread. Rejects with a
 * sentence naming the plug-in that failed.
 */
export function loadDecoderPlugins(urls: readonly string[]): Promise<void> {
  return Promise.all(
    urls.map((url) => {
      let loading = loadedPlugins.get(url);
      if (!loading) {
        loading = (async () => {
          let exported: { decoderModules?: unknown };
          try {
            exported = (await import(url)) as { decoderModules?: unknown };
          } catch (error) {
            throw new EngineError('invalid-request', `the decoder plug-in ${url} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
          }
          const list = exported.decoderModules;
          if (!Array.isArray(list) || !list.every(isDecoderModule)) {
            throw new EngineError('invalid-request', `the decoder plug-in ${url} must export decoderModules, an array of decoder modules (kind, trainable, parseOptions, fit, fromJSON)`);
          }
          for (const m of list) if (modules.get(m.kind) !== m) registerDecoderModule(m);
        })();
        loadedPlugins.set(url, loading);
        loading.catch(() => loadedPlugins.delete(url));
      }
      return loading;
    }),
  ).then(() => undefined);
}
