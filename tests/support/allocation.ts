// Whether a hot loop allocates: V8 collects the young generation (a scavenge, a "minor" GC) only
// when allocation has filled it, so a synchronous loop that would fill it many times over if it
// allocated, and causes no minor GC, allocates nothing (or V8 removed the allocation, which is as
// good). Major GCs are not counted: V8 may finish incremental marking left over from earlier work
// at any loop back-edge. Warm the code up first so it runs optimised (the interpreter boxes
// numbers on the heap); the heap is collected fully before the loop when V8 allows it.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

function fullCollector(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

/** Runs `body` synchronously and returns how many young-generation collections started while it ran. */
export async function minorCollectionsDuring(body: () => void): Promise<number> {
  fullCollector()?.();
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) starts.push(entry.startTime);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const from = performance.now();
  body();
  const to = performance.now();
  // entries are delivered asynchronously, after the loop; collections caused meanwhile by the
  // test runner's own work are not the body's and are left out by their start time
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return starts.filter((t) => t >= from && t <= to).length;
}
