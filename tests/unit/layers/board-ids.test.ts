// No renderer module names a board id: the renderer reads what a board can do from `listBoards`
// (capabilities, option fields), so adding a board touches the registry and its driver only. Every
// string literal (quotes, templates, JSX attributes) in renderer/**/*.ts(x) is checked against the
// registry's ids; comments do not count.
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listBoards } from '../../../electron/engine/boards/registry.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const boardIds = listBoards().map((b) => b.id);

/** The string literals of a module that are a board id, as `file:line 'id'`. */
function boardIdLiterals(fileName: string, source: string, ids: readonly string[]): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const hits: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const id = ids.find((i) => node.text === i);
      if (id !== undefined) hits.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1} '${id}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return hits;
}

function rendererSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return rendererSources(path);
    return /\.tsx?$/.test(d.name) ? [path] : [];
  });
}

describe('board ids in the renderer', () => {
  it('finds a board id in a literal, not in a comment', () => {
    const probe = [
      "// the synthetic board: 'synthetic'",
      "/* 'cyton' */ export const a = descriptor.id === 'playback';",
      'export const b = `cyton-daisy`;',
      "export const c = <option value=\"cyton\">Cyton</option>;",
      "export const d = 'Playback' + 'a synthetic signal';",
    ].join('\n');
    expect(boardIdLiterals('renderer/probe.tsx', probe, ['synthetic', 'cyton', 'cyton-daisy', 'playback'])).toEqual([
      "renderer/probe.tsx:2 'playback'",
      "renderer/probe.tsx:3 'cyton-daisy'",
      "renderer/probe.tsx:4 'cyton'",
    ]);
  });

  it('no renderer module names a board id from the registry', () => {
    expect(boardIds).toEqual(expect.arrayContaining(['synthetic', 'cyton', 'cyton-daisy', 'playback']));
    const files = rendererSources(join(root, 'renderer'));
    expect(files.length).toBeGreaterThan(20);
    const hits = files.flatMap((f) => boardIdLiterals(relative(root, f), readFileSync(f, 'utf8'), boardIds));
    expect(hits).toEqual([]);
  });
});
