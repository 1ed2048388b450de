// Model files on disk: reading one (a missing file is not-found; anything that is not a model, an
// invalid request with a sentence), writing one (never over an existing file), the SHA-256 of the
// recordings a model was trained on, and the software name and version it records.

import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EngineError } from '../../common/contract/failure.js';
import { parseModelText, serializeModel, type ModelFile } from '../../common/decoding/model-file.js';
import { OutputFileError, openOutput } from '../files/export.js';
import { packageRoot } from '../paths.js';

/** Larger files are refused before reading: a model is parameters, not data. */
export const MAX_MODEL_BYTES = 256 << 20;

export function readModelFile(path: string): ModelFile {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new EngineError('invalid-request', `${path} is a folder, not a model file`);
    // a FIFO or a device (/dev/zero) would hang or exhaust memory: only regular files are models
    if (!stat.isFile()) throw new EngineError('invalid-request', `${path} is not a regular file: a model is a .json file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof EngineError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new EngineError('not-found', `cannot open the model ${path}: no such file (train one with \`bci train\`)`);
    if (code === 'EACCES' || code === 'EPERM') throw new EngineError('io', `cannot open the model ${path}: permission denied`);
    throw new EngineError('io', `cannot open the model ${path}: ${(error as Error).message}`);
  }
  if (size > MAX_MODEL_BYTES) throw new EngineError('invalid-request', `${path} is ${(size / 2 ** 20).toFixed(0)} MB, too large for a model file (at most ${MAX_MODEL_BYTES / 2 ** 20} MB): is it a recording?`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EngineError('io', `cannot read the model ${path}: ${(error as Error).message}`);
  }
  return parseModelText(text, basename(path));
}

/** Refuses, before any work, a model path that exists or whose folder does not (as writeModelFile would after it). */
export function checkNewModelPath(path: string): void {
  if (existsSync(path)) throw new OutputFileError(path, 'exists', `${path} already exists: choose another output name (files are never overwritten)`);
  if (!existsSync(dirname(resolve(path)))) throw new OutputFileError(path, 'no-folder', `cannot create ${path}: its folder does not exist`);
}

/** Writes a new model file (an existing one is never overwritten: OutputFileError). */
export function writeModelFile(path: string, model: ModelFile): void {
  writeNewFile(path, serializeModel(model), 'the model', 'train again');
}

/**
 * Writes a new file whole (never over an existing one: OutputFileError). A write that fails (a full
 * disk) leaves no half file behind, which would block a retry as "already exists".
 */
export function writeNewFile(path: string, content: string | Uint8Array, what: string, retry: string): void {
  const fd = openOutput(path);
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else for (let at = 0; at < content.length; ) at += writeSync(fd, content, at);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw new EngineError('io', `could not write ${what} to ${path}: ${(error as Error).message} (nothing was kept: free some space and ${retry})`);
  }
  closeSync(fd);
}

/** SHA-256 of a file's bytes, in hex, read as a stream. */
export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

let cachedSoftware: { name: string; version: string } | undefined;

/** This workstation's name and version (package.json), as a model file records it. */
export function software(): { name: string; version: string } {
  if (!cachedSoftware) {
    let version = 'unknown';
    try {
      version = String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      // a model still says which software made it, without a version
    }
    cachedSoftware = { name: 'BCI Workstation', version };
  }
  return cachedSoftware;
}
