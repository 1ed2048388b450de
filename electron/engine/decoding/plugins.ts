// Decoder plug-ins for developers: ES module files named in BCI_DECODER_PLUGINS (separated like
// PATH), each exporting `decoderModules` (an array of DecoderModules). The engine loads them into
// its own registry and hands the same list to the pipeline worker, so a decoder that is not (yet)
// built in trains, evaluates and runs online like one. Empty or unset: nothing is loaded.

import { delimiter, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDecoderPlugins } from '../../common/decoding/registry.js';

export const DECODER_PLUGINS_ENV = 'BCI_DECODER_PLUGINS';

/** The plug-in modules as file URLs (relative paths are taken from the working folder). */
export function decoderPluginUrls(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = env[DECODER_PLUGINS_ENV] ?? '';
  return value
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => pathToFileURL(resolve(p)).href);
}

/** Loads the plug-ins named in the environment into this thread's registry; returns their URLs. */
export async function ensureDecoderPlugins(): Promise<string[]> {
  const urls = decoderPluginUrls();
  await loadDecoderPlugins(urls);
  return urls;
}
