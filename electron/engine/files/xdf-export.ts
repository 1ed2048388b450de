// XDF output (`bci convert IN out.xdf`): the rows as one regular double64 stream (type EEG, channel
// labels, units and types in its description) stamped at their recording time, and the events as a
// string marker stream (type Markers) at their onsets, both with clock offsets of zero (one clock)
// and footers, as LabRecorder lays a file out. Written as it goes: one samples chunk per block.

import { closeSync, fsyncSync, writeSync } from 'node:fs';
import { openOutput, type ExportEvent, type ExportSignal, type RowWriter } from './export.js';
import { XDF_MAGIC, xdfClockOffset, xdfFileHeader, xdfNumericSamples, xdfStreamFooter, xdfStreamHeader, xdfStringSamples } from '../../common/formats/xdf-writer.js';

const EEG_STREAM = 1;
const MARKER_STREAM = 2;

export class XdfRowWriter implements RowWriter {
  private readonly fd: number;
  private readonly channelCount: number;
  private first = Number.NaN;
  private last = Number.NaN;
  private samples = 0;
  readonly clipped = 0;

  constructor(
    path: string,
    private readonly rateHz: number,
    signals: readonly ExportSignal[],
    startTime: Date | null,
    private readonly timeSecOf: (row: number) => number,
    private readonly events: () => readonly ExportEvent[],
  ) {
    this.fd = openOutput(path);
    this.channelCount = signals.length;
    this.put(XDF_MAGIC);
    this.put(xdfFileHeader(startTime ? startTime.toISOString() : null));
    this.put(
      xdfStreamHeader(EEG_STREAM, {
        name: 'BCI Workstation EEG',
        type: 'EEG',
        channelFormat: 'double64',
        nominalRateHz: rateHz,
        sourceId: 'bci-workstation:convert:eeg',
        channels: signals.map((s) => ({ label: s.label, unit: s.unit === 'uV' ? 'microvolts' : s.unit, type: ((s as { type?: string }).type ?? 'eeg').toUpperCase() })),
      }),
    );
  }

  private put(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at, bytes.length - at);
  }

  write(rows: Float64Array, count: number, firstRow: number): void {
    if (count <= 0) return;
    const stampOf = (r: number) => this.timeSecOf(firstRow + r);
    this.put(xdfNumericSamples(EEG_STREAM, rows, count, this.channelCount, stampOf));
    if (Number.isNaN(this.first)) this.first = stampOf(0);
    this.last = stampOf(count - 1);
    this.samples += count;
  }

  async close(): Promise<void> {
    const events = [...this.events()].sort((a, b) => a.onsetSec - b.onsetSec);
    this.put(xdfStreamHeader(MARKER_STREAM, { name: 'BCI Workstation markers', type: 'Markers', channelFormat: 'string', nominalRateHz: 0, sourceId: 'bci-workstation:convert:markers', channels: [{ label: 'marker', unit: '', type: 'Markers' }] }));
    if (events.length) this.put(xdfStringSamples(MARKER_STREAM, events.map((e) => ({ timestamp: e.onsetSec, value: e.label }))));
    const end = Number.isNaN(this.last) ? 0 : this.last;
    const offsets = [
      { time: 0, value: 0 },
      { time: end, value: 0 },
    ];
    for (const id of [EEG_STREAM, MARKER_STREAM]) for (const o of offsets) this.put(xdfClockOffset(id, o.time, o.value));
    this.put(xdfStreamFooter(EEG_STREAM, Number.isNaN(this.first) ? 0 : this.first, end, this.samples, offsets));
    this.put(xdfStreamFooter(MARKER_STREAM, events[0]?.onsetSec ?? 0, events.at(-1)?.onsetSec ?? 0, events.length, offsets));
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
