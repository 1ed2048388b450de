// ByteSource over a file handle (fs.promises.FileHandle): the readers in electron/common/formats see
// files only through this, a positioned read at a time, so a multi-gigabyte recording is never
// loaded whole.

import { open, stat as statPath, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../../common/formats/source.js';

/** A ByteSource over an open handle; `size` is the file's size when it was opened (fstat). */
export function fileSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(size, offset));
      const n = Math.max(0, Math.min(size, offset + length) - start);
      const buffer = Buffer.allocUnsafe(n);
      let done = 0;
      while (done < n) {
        const { bytesRead } = await handle.read(buffer, done, n - done, start + done);
        if (bytesRead === 0) break; // the file shrank since it was opened
        done += bytesRead;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, done);
    },
  };
}

/** Opens a file read-only as a ByteSource; close() releases the handle. */
export async function openFileSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  // a FIFO or a device is refused before open(), which would wait forever for a FIFO's writer
  const before = await statPath(path);
  if (before.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  if (!before.isFile()) throw new Error('not a regular file');
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!stat.isFile()) throw new Error('not a regular file');
    const source = fileSource(handle, stat.size);
    return { size: source.size, read: (o, l) => source.read(o, l), close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
