// The layer rules of DESIGN.md §2 are enforced, not conventions: a wrong-layer import fails the
// lint rule, and Node or DOM APIs in electron/common fail the compiler (its tsconfig has no types).
// In the renderer, features never import each other and are imported through their index.ts.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync } from 'node:fs';
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
    ['electron/workers/x.ts', "import { main } from '../cli/bci.js'; export const m = main;"],
    ['electron/workers/x.ts', "import { startServer } from '../server/serve.js'; export const s = startServer;"],
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

describe('renderer feature rules', () => {
  it.each([
    ['renderer/features/board/x.ts', "import { useRecording } from '../recording/index.js'; export const u = useRecording;", /Features never import each other/],
    ['renderer/features/board/x.ts', "import { RecordPanel } from '../../features/recording/RecordPanel.js'; export const r = RecordPanel;", /Features never import each other/],
    ['renderer/features/playback/sub/x.ts', "import { useBoardConnection } from '../../board/index.js'; export const u = useBoardConnection;", /Features never import each other/],
    ['renderer/features/signals/x.ts', "import { App } from '../../shell/App.js'; export const a = App;", /does not import the shell/],
    ['renderer/features/board/x.ts', "import { Engine } from '../../../electron/engine/engine.js'; export const e = Engine;", /imports electron\/common only/],
    ['renderer/shell/x.tsx', "import { BoardPanel } from '../features/board/BoardPanel.js'; export const b = BoardPanel;", /through its index\.ts/],
    ['renderer/x.ts', "import { connectRequest } from './features/board/board-choice.js'; export const b = connectRequest;", /through its index\.ts/],
    ['renderer/ui/x.ts', "import { BoardPanel } from '../features/board/index.js'; export const b = BoardPanel;", /imports no feature/],
    ['renderer/stream/x.ts', "import { errorText } from '../ui/format.js'; export const e = errorText;", /outside React/],
    ['renderer/stream/x.ts', "import { useState } from 'react'; export const u = useState;", /outside React/],
  ])('refuses a wrong import in %s', async (path, code, why) => {
    const messages = await lint(path, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(why);
  });

  it.each([
    ['renderer/shell/x.tsx', "import { BoardPanel } from '../features/board/index.js'; import { Workstation } from '../stream/workstation.js'; export const b = [BoardPanel, Workstation];"],
    [
      'renderer/features/board/x.ts',
      "import { connectRequest } from './board-choice.js'; import { errorText } from '../../ui/format.js'; import { Workstation } from '../../stream/workstation.js'; import type { BoardOptions } from '../../../electron/common/contract/board-options.js'; export const b: [unknown, unknown, unknown, BoardOptions | null] = [connectRequest, errorText, Workstation, null];",
    ],
    ['renderer/features/recording/x.ts', "import { useState } from 'react'; import { fieldChoices } from '../../ui/option-controls.js'; export const r = [useState, fieldChoices];"],
    ['renderer/ui/x.ts', "import { traceColor } from '../stream/theme.js'; export const t = traceColor;"],
  ])('allows a right import in %s', async (path, code) => {
    expect(await lint(path, code)).toEqual([]);
  });

  it('finds an index.ts in every feature folder', () => {
    const features = readdirSync(join(root, 'renderer/features'), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(features.length).toBeGreaterThan(0);
    for (const f of features) expect(existsSync(join(root, 'renderer/features', f.name, 'index.ts')), f.name).toBe(true);
  });
});
