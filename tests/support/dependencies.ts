// The one check of what the suite needs outside npm (run by tests/global-setup.ts before any test):
// Chromium, socat, /usr/bin/python3 with SciPy, MNE, scikit-learn, PyTorch and ONNX, a C compiler,
// EDFlib (libedf-dev), BioSig's save2gdf, BrainFlow's library and the reference data in ../shared. In CI (CI set, as .ci/run does) every missing one fails the run, each by
// name; locally the tests that need them skip, and this says which, so no skip is silent.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const PYTHON_MODULES: [module: string, debian: string][] = [
  ['scipy', 'python3-scipy'],
  ['mne', 'python3-mne'],
  ['sklearn', 'python3-sklearn'],
  ['torch', 'python3-torch'],
  ['onnx', 'python3-onnx'],
];

function runs(command: string, args: readonly string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
  } catch {
    return false;
  }
}

/** What is missing, one line each: the tool and the Debian package that brings it. */
const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));

export function missingDependencies(python: string = PYTHON, shared: string = SHARED): string[] {
  const missing: string[] = [];
  const chromium = process.env.BCI_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) missing.push(`chromium (${chromium}; Debian chromium)`);
  if (!runs('socat', ['-V'])) missing.push('socat (Debian socat)');
  if (!existsSync(python)) missing.push(`python3 (${python}; Debian python3)`);
  else {
    // one interpreter start for every module (importing torch and mne takes seconds)
    const probe = spawnSync(python, ['-c', `
import importlib, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        print(name)
`, ...PYTHON_MODULES.map(([m]) => m)], { encoding: 'utf8', timeout: 120_000 });
    const absent = new Set(probe.status === 0 ? probe.stdout.split('\n').filter(Boolean) : PYTHON_MODULES.map(([m]) => m));
    for (const [module, debian] of PYTHON_MODULES) if (absent.has(module)) missing.push(`python3 module ${module} (Debian ${debian})`);
  }
  if (!runs('cc', ['--version'])) missing.push('a C compiler, cc (Debian gcc)');
  if (!existsSync('/usr/include/edflib.h')) missing.push('EDFlib, /usr/include/edflib.h and -ledf (Debian libedf-dev)');
  if (!runs('sh', ['-c', 'command -v save2gdf'])) missing.push("BioSig's save2gdf (Debian biosig-tools)");
  // the reference data (SciPy answers, real EEG recordings) is read from beside the package, never copied in
  for (const folder of ['data', 'golden']) {
    const path = `${shared}/${folder}`;
    if (!existsSync(path)) missing.push(`the reference ${folder} folder ${path} (the repository's clone goes beside ../shared)`);
  }
  const brainflow = process.env.BRAINFLOW_LIB_DIR;
  if (!brainflow || !existsSync(`${brainflow}/libBoardController.so`)) missing.push("BrainFlow's libBoardController.so (BRAINFLOW_LIB_DIR: ../shared/vendor/brainflow/linux-x64, as .ci/run sets it)");
  return missing;
}

/** Throws in CI when anything is missing; warns locally. */
export function checkDependencies(env: NodeJS.ProcessEnv = process.env, python: string = PYTHON): void {
  const missing = missingDependencies(python);
  if (missing.length === 0) return;
  const list = missing.map((m) => `  - ${m}`).join('\n');
  if (env.CI) throw new Error(`the test suite needs what is missing here (.ci/run installs it):\n${list}`);
  console.warn(`\nthese tests dependencies are missing: the tests that need them will be SKIPPED (in CI they fail the run):\n${list}\n`);
}
