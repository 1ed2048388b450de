// The decoder registry: kinds to modules, sentences for unknown or absent kinds, registration
// (never replacing a module silently) and plug-ins loaded from ES module files.
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decoderModule, findDecoderModule, loadDecoderPlugins, registerDecoderModule, registeredDecoderKinds, type AnyDecoderModule } from '../../../../electron/common/decoding/registry.js';
import { DECODER_KINDS, type DecoderKind } from '../../../../electron/common/decoding/decoder.js';
import { EngineError } from '../../../../electron/common/contract/failure.js';
import { TEST_DECODER_KIND, testDecoderPlugin } from '../../../support/decoder-plugin.js';
import { tempDir } from '../../../support/tmp.js';

const fake = (kind: string): AnyDecoderModule => ({
  kind: kind as DecoderKind,
  trainable: true,
  parseOptions: () => ({}),
  fit: () => {
    throw new Error('not here');
  },
  fromJSON: () => {
    throw new Error('not here');
  },
});

describe('decoder registry', () => {
  it('lists only what it has, built-in kinds first in their order', () => {
    const kinds = registeredDecoderKinds();
    for (const k of kinds) expect(findDecoderModule(k)?.kind).toBe(k);
    const builtIn = kinds.filter((k) => (DECODER_KINDS as readonly string[]).includes(k));
    expect(builtIn).toEqual(DECODER_KINDS.filter((k) => builtIn.includes(k)));
  });

  it('refuses an unknown kind, and a product kind absent from this build, as invalid requests', () => {
    const unknown = (() => {
      try {
        decoderModule('quantum-svm');
      } catch (e) {
        return e as EngineError;
      }
    })();
    expect(unknown).toBeInstanceOf(EngineError);
    expect(unknown?.kind).toBe('invalid-request');
    expect(unknown?.message).toMatch(/^unknown decoder "quantum-svm": this build has/);
    const absent = DECODER_KINDS.find((k) => !findDecoderModule(k));
    if (absent) expect(() => decoderModule(absent)).toThrow(new RegExp(`the ${absent} decoder is not part of this build`));
  });

  it('registers a module, refuses a second one of the same kind, and removes it on dispose', () => {
    const a = fake('unit-test-a');
    const handle = registerDecoderModule(a);
    try {
      expect(decoderModule('unit-test-a')).toBe(a);
      expect(registeredDecoderKinds()).toContain('unit-test-a');
      expect(() => registerDecoderModule(fake('unit-test-a'))).toThrow(/already registered/);
      expect(() => registerDecoderModule({ kind: 'x' } as unknown as AnyDecoderModule)).toThrow(/needs kind, trainable/);
    } finally {
      handle.dispose();
    }
    expect(findDecoderModule('unit-test-a')).toBeUndefined();
  });

  it('loads plug-ins from ES modules, and refuses broken ones with sentences', async () => {
    const plugin = pathToFileURL(await testDecoderPlugin()).href;
    await loadDecoderPlugins([plugin]);
    await loadDecoderPlugins([plugin]); // once is enough: the same URL again changes nothing
    expect(decoderModule(TEST_DECODER_KIND).trainable).toBe(true);
    const dir = tempDir();
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'export const something = 1;\n');
    await expect(loadDecoderPlugins([pathToFileURL(empty).href])).rejects.toThrow(/must export decoderModules/);
    await expect(loadDecoderPlugins([pathToFileURL(join(dir, 'missing.mjs')).href])).rejects.toThrow(/could not be loaded/);
  });
});
