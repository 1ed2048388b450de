// The folder a recording goes into, checked before any work: a real directory on a writable file
// system that stores data, never a kernel pseudo file system (/proc, /sys, /dev…: on Node 20,
// mkdirSync(…, { recursive: true }) under /proc never returns). Missing folders are made one level
// at a time (no recursive mkdir), so that a refusal is a sentence and never a hang.

import { accessSync, constants, mkdirSync, statSync, statfsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { EngineError } from '../../common/contract/failure.js';

/** statfs f_type of file systems that hold no user data (linux/magic.h). */
const PSEUDO_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6e736673, 'nsfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x6165676c, 'pstore'],
  [0xf97cff8c, 'selinuxfs'],
  [0x19800202, 'mqueue'],
  [0x1373, 'devfs'],
]);

/** Path prefixes refused without a system call (the kernel's own trees). */
const PSEUDO_PREFIXES: readonly (readonly [string, string])[] = [
  ['/proc', 'proc'],
  ['/sys', 'sysfs'],
  ['/dev', 'devtmpfs'],
];

function code(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

/** The pseudo file system a path lies on ("proc", "sysfs"…), or undefined for a real one. */
export function pseudoFileSystemOf(path: string): string | undefined {
  const absolute = resolve(path);
  if (process.platform !== 'linux') return undefined;
  for (const [prefix, name] of PSEUDO_PREFIXES) {
    if (absolute === prefix || absolute.startsWith(prefix + sep)) {
      // /dev/shm is a tmpfs: real memory-backed storage
      if (prefix === '/dev' && (absolute === '/dev/shm' || absolute.startsWith('/dev/shm/'))) break;
      return name;
    }
  }
  let existing = absolute;
  for (;;) {
    try {
      statSync(existing);
      break;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return undefined;
      existing = parent;
    }
  }
  try {
    return PSEUDO_FILE_SYSTEMS.get(Number(statfsSync(existing).type));
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `folder` is a directory recordings can be written to, creating the missing levels
 * one at a time. Throws an io EngineError with a sentence otherwise. `what` names it for the user.
 */
export function ensureRecordingFolder(folder: string, what = 'the data folder'): string {
  const absolute = resolve(folder);
  const pseudo = pseudoFileSystemOf(absolute);
  if (pseudo) throw new EngineError('io', `${what} ${absolute} is on the ${pseudo} pseudo file system (kernel information, not storage): choose a folder on a disk`);
  // the nearest level that exists, and the levels to make below it
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      const st = statSync(existing);
      if (!st.isDirectory()) throw new EngineError('io', `${what} ${absolute} cannot be made: ${existing} is a file, not a folder; choose another folder`);
      break;
    } catch (error) {
      if (error instanceof EngineError) throw error;
      if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') throw new EngineError('io', `${what} ${absolute} cannot be used (${code(error) ?? String(error)} on ${existing}): choose another folder`);
      const parent = dirname(existing);
      if (parent === existing) throw new EngineError('io', `${what} ${absolute} cannot be made: choose another folder`);
      missing.push(existing);
      existing = parent;
    }
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    const c = code(error);
    throw new EngineError('io', `no permission to create ${absolute}${c === 'EROFS' ? ' (a read-only file system)' : ''}: choose a folder you can write to`);
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (error) {
      const c = code(error);
      if (c === 'EEXIST' && statSync(missing[i]).isDirectory()) continue;
      if (c === 'EACCES' || c === 'EPERM' || c === 'EROFS') throw new EngineError('io', `no permission to create ${absolute}${c === 'EROFS' ? ' (a read-only file system)' : ''}: choose a folder you can write to`);
      if (c === 'ENOSPC' || c === 'EDQUOT') throw new EngineError('io', `the disk is full: cannot create ${absolute}; free some space or choose another folder`);
      throw new EngineError('io', `cannot create ${absolute}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return absolute;
}
