// The layer rules of DESIGN.md §2 are enforced, not conventions: a wrong-layer import fails the
// lint rule, and Node or DOM APIs in electron/common fail the compiler (its tsconfig has no types).
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'build/eslint.config.js') });

async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['electron/common/x.ts', "import { Engine } from '../engine/engine.js'; export const e = Engine;"],
    ['electron/common/dsp/x.ts', "import { readFileSync } from 'node:fs'; export const r = readFileSync;"],
    ['electron/common/x.ts', "import { app } from 'electron'; export const a = app;"],
    ['electron/engine/x.ts', "import { app } from 'electron'; export const a = app;"],
    ['electron/engine/x.ts', "import { main } from '../cli/bci.js'; export const m = main;"],
    ['electron/workers/x.ts', "import { Engine } from '../engine/engine.js'; export const e = Engine;"],
    ['electron/cli/x.ts', "import { app } from 'electron'; export const a = app;"],
    ['renderer/x.ts', "import { Engine } from '../electron/engine/engine.js'; export const e = Engine;"],
    ['native/x.ts', "import { Engine } from '../electron/engine/engine.js'; export const e = Engine;"],
  ])('refuses a wrong-layer import in %s', async (path, code) => {
    expect(await lint(path, code)).not.toEqual([]);
  });

  it.each([
    ['electron/engine/x.ts', "import { RingBuffer } from '../common/ring-buffer.js'; import { readFileSync } from 'node:fs'; export const r = [RingBuffer, readFileSync];"],
    ['electron/cli/x.ts', "import { Engine } from '../engine/engine.js'; export const e = Engine;"],
    ['electron/common/pipeline/x.ts', "import { SosFilter } from '../dsp/sos.js'; export const s = SosFilter;"],
  ])('allows a right-layer import in %s', async (path, code) => {
    expect(await lint(path, code)).toEqual([]);
  });

  it('gives electron/common no Node or DOM types, so their use is a compile error', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'electron/common/tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const file = join(root, 'electron/common/__probe__.ts');
    const source = 'export const a = process.argv; export const b = document.title; export const c = Buffer.from("x");';
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile;
    host.readFile = (f) => (f === file ? source : readFile(f));
    host.fileExists = ((exists) => (f: string) => f === file || exists(f))(host.fileExists);
    const program = ts.createProgram([file], { ...config.options, noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false }, host);
    const messages = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages.some((m) => /Cannot find name 'process'/.test(m))).toBe(true);
    expect(messages.some((m) => /Cannot find name 'document'/.test(m))).toBe(true);
    expect(messages.some((m) => /Cannot find name 'Buffer'/.test(m))).toBe(true);
  });
});
