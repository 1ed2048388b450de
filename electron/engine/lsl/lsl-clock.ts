// The two clocks of LSL work on this machine: the engine's host time (`performance.timeOrigin +
// performance.now()`, ms) and LSL's `lsl_local_clock()` (s, the OS's monotonic clock, the same in
// every process). Both advance together inside a process, so their offset is measured once
// (the tightest of a few bracketed readings) and converts either way.

import type { LslLibrary } from '../../../native/lsl.js';
import { hostNowMs } from '../acquisition.js';

export class LslClock {
  /** hostMs − lslSec × 1000. */
  readonly offsetMs: number;

  constructor(readonly lsl: LslLibrary) {
    let best = Infinity;
    let offset = 0;
    for (let i = 0; i < 9; i++) {
      const before = hostNowMs();
      const lslMs = lsl.localClock() * 1000;
      const after = hostNowMs();
      if (after - before < best) {
        best = after - before;
        offset = (before + after) / 2 - lslMs;
      }
    }
    this.offsetMs = offset;
  }

  toLslSec(hostMs: number): number {
    return (hostMs - this.offsetMs) / 1000;
  }

  toHostMs(lslSec: number): number {
    return lslSec * 1000 + this.offsetMs;
  }
}
