// Markers that wait for their sample's row: a board cue can come before the row it marks, and a
// written marker must be timed by the clock model the rows around it were stamped with. One queue,
// in sample order, released up to the rows written (`bci stream`'s output, `bci record`'s XDF).

export class MarkerQueue {
  private readonly pending: { sampleIndex: number; label: string }[] = [];
  /** The sample index after the last row written (-1 before any). */
  private written = -1;

  constructor(private readonly release: (sampleIndex: number, label: string) => void) {}

  /** A marker at its sample: released now if its row is written, else when it is. */
  add(sampleIndex: number, label: string): void {
    let at = this.pending.length;
    while (at > 0 && this.pending[at - 1].sampleIndex > sampleIndex) at--;
    this.pending.splice(at, 0, { sampleIndex, label });
    if (this.written >= 0) this.releaseUpTo(this.written);
  }

  /** Rows up to (not including) `end` are written: their markers go. */
  rowsWritten(end: number): void {
    this.written = end;
    this.releaseUpTo(end);
  }

  /** The end of the output: markers after the last row go last. */
  flush(): void {
    this.releaseUpTo(Number.POSITIVE_INFINITY);
  }

  private releaseUpTo(end: number): void {
    while (this.pending.length > 0 && this.pending[0].sampleIndex < end) {
      const { sampleIndex, label } = this.pending.shift()!;
      this.release(sampleIndex, label);
    }
  }
}
