// How many whole data records a BDF/EDF file being written holds on disk right now, counted from its
// header's layout (0 while the file or its header is not there yet). For tests that act on what is
// on disk, not on the wall clock.
import { readFileSync } from 'node:fs';

export function wholeRecordsOnDisk(path: string): number {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  if (bytes.length < 256) return 0;
  const headerBytes = Number(bytes.subarray(184, 192).toString('latin1'));
  const signals = Number(bytes.subarray(252, 256).toString('latin1'));
  if (!(bytes.length > headerBytes) || !(signals > 0) || bytes.length < 256 + signals * 256) return 0;
  let samples = 0;
  for (let i = 0; i < signals; i++) samples += Number(bytes.subarray(256 + signals * 216 + i * 8, 256 + signals * 216 + i * 8 + 8).toString('latin1'));
  return samples > 0 ? Math.floor((bytes.length - headerBytes) / (samples * 3)) : 0;
}
