// The test decoder (tests/support/decoders/log-variance-mean.ts) as a decoder plug-in: bundled once
// per test process into a temporary ES module, named in BCI_DECODER_PLUGINS so that the engine,
// the pipeline worker and `bci` subprocesses load it as they load any plug-in.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DECODER_PLUGINS_ENV } from '../../electron/engine/decoding/plugins.js';
import { loadDecoderPlugins } from '../../electron/common/decoding/registry.js';

export { TEST_DECODER_KIND } from './decoders/log-variance-mean.js';

let bundled: Promise<string> | undefined;

/** Bundles the test decoder plug-in (once) and returns the path of the module. */
export function testDecoderPlugin(): Promise<string> {
  bundled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bci-decoder-plugin-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'log-variance-mean.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./decoders/log-variance-mean.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}

/**
 * Makes the test decoder available here (this process's registry, and the pipeline workers it
 * starts) and returns the environment that gives it to a `bci` subprocess.
 */
export async function useTestDecoder(): Promise<Record<string, string>> {
  const path = await testDecoderPlugin();
  process.env[DECODER_PLUGINS_ENV] = path;
  await loadDecoderPlugins([pathToFileURL(path).href]);
  return { [DECODER_PLUGINS_ENV]: path };
}
