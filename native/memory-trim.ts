// Giving freed memory back to the operating system. glibc's malloc keeps the memory of freed
// blocks in its arenas for reuse, so a process that queued hundreds of MB for slow clients and
// then freed them (the JavaScript heap and the array buffers back at their baseline) still shows
// that resident size for good. malloc_trim(0) returns the free pages of every arena; it is bound
// here with koffi (no compiled addon). Elsewhere (macOS, Windows, musl) it does nothing: those
// allocators give large free blocks back on their own.

import koffi from 'koffi';

let trim: ((pad: number) => number) | null | undefined;

/** Returns free allocator memory to the OS (Linux glibc); false when there is no such call here. */
export function releaseFreeMemory(): boolean {
  if (trim === undefined) {
    trim = null;
    if (process.platform === 'linux') {
      try {
        trim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
      } catch {
        trim = null; // not glibc
      }
    }
  }
  if (!trim) return false;
  trim(0);
  return true;
}
