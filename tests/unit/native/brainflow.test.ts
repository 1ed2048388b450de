// Where the workstation looks for BrainFlow's libraries, in order, and the input parameters it sends.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_INPUT_PARAMS, candidateFolders, inputParamsJson, locateBrainflow, missingLibraryMessage } from '../../../native/brainflow.js';
import { tempDir } from '../../support/tmp.js';

function folderWithLibrary(root: string, ...parts: string[]): string {
  const dir = join(root, ...parts);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'libBoardController.so'), '');
  return dir;
}

describe("BrainFlow's libraries", () => {
  it('looks in BRAINFLOW_LIB_DIR, the npm package, pip installs, then the settings folder, in that order', () => {
    const home = tempDir('bci-bf-home-');
    const env = { BRAINFLOW_LIB_DIR: join(home, 'given'), VIRTUAL_ENV: join(home, 'venv') };
    mkdirSync(join(home, 'venv', 'lib', 'python3.11'), { recursive: true });
    const folders = candidateFolders({ env, home, platform: 'linux', resolveNpmPackage: () => join(home, 'node_modules', 'brainflow', 'package.json') });
    expect(folders[0]).toEqual({ dir: join(home, 'given'), source: 'BRAINFLOW_LIB_DIR' });
    expect(folders[1]).toEqual({ dir: join(home, 'node_modules', 'brainflow', 'lib'), source: 'the brainflow npm package' });
    expect(folders[2]).toEqual({ dir: join(home, 'venv', 'lib', 'python3.11', 'site-packages', 'brainflow', 'lib'), source: 'pip install brainflow' });
    expect(folders.at(-1)).toEqual({ dir: join(home, 'BCI-Workstation', 'brainflow'), source: 'the settings folder' });
  });

  it('takes the first folder that holds the library; a BRAINFLOW_LIB_DIR without it does not stop the search', () => {
    const home = tempDir('bci-bf-home-');
    const settings = folderWithLibrary(home, 'BCI-Workstation', 'brainflow');
    const options = { home, platform: 'linux' as const, resolveNpmPackage: () => undefined };
    expect(locateBrainflow({ ...options, env: { BRAINFLOW_LIB_DIR: join(home, 'empty') } })).toMatchObject({ dir: settings, source: 'the settings folder', dataHandler: undefined });
    const pip = folderWithLibrary(home, '.local', 'lib', 'python3.12', 'site-packages', 'brainflow', 'lib');
    expect(locateBrainflow({ ...options, env: {} })?.dir).toBe(pip);
    const given = folderWithLibrary(home, 'given');
    writeFileSync(join(given, 'libDataHandler.so'), '');
    expect(locateBrainflow({ ...options, env: { BRAINFLOW_LIB_DIR: given } })).toMatchObject({ dir: given, dataHandler: join(given, 'libDataHandler.so') });
    expect(locateBrainflow({ home: tempDir('bci-bf-none-'), platform: 'linux', env: {}, resolveNpmPackage: () => undefined })).toBeUndefined();
  });

  it('says in one line how to get a library', () => {
    const line = missingLibraryMessage('linux');
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/npm install brainflow.*pip install brainflow.*BRAINFLOW_LIB_DIR.*libBoardController\.so/);
    expect(missingLibraryMessage('win32')).toContain('BoardController.dll');
  });

  it('sends every input parameter BrainFlow reads (a JSON without one fails with error 17)', () => {
    const json = JSON.parse(inputParamsJson({ serial_port: '/dev/ttyUSB0', master_board: 0 })) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(Object.keys(EMPTY_INPUT_PARAMS).sort());
    expect(Object.keys(json)).toHaveLength(16);
    expect(json).toMatchObject({ serial_port: '/dev/ttyUSB0', master_board: 0, ip_port: 0, file: '' });
  });
});
