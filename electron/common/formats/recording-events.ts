// Where an event lands in a recording, decided once for the recorder (the file's annotations) and
// for the sidecars (events.tsv), so the two always agree. A recording covers [0, endSec] (endSec is
// its last sample's end: samples written / rate). An event inside stays where it is; an event whose
// onset lies after the end (a marker stamped after the last sample arrived, or mapped by the clock
// model past it) is placed at the end, its true time kept in its label, never written as if the
// file held it; a duration that runs past the end is cut there, and the cut is said in the label.

export interface RecordingEvent {
  readonly onsetSec: number;
  readonly durationSec: number;
  readonly label: string;
}

/** How an event was placed. `after` is set when it arrived after the end of the recording. */
export interface PlacedEvent extends RecordingEvent {
  readonly after: boolean;
}

/** Onsets and durations are whole samples divided by the rate: a sum may exceed the end by a rounding step. */
const EPSILON_SEC = 1e-9;

/** Seconds as written in a label: milliseconds, no trailing noise ("24.96 s"). */
export function secondsText(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

/** Places an event in a recording that ends at endSec (see the header). */
export function placeEvent(event: RecordingEvent, endSec: number): PlacedEvent {
  const { onsetSec, durationSec, label } = event;
  if (onsetSec > endSec + EPSILON_SEC) {
    return { onsetSec: endSec, durationSec: 0, label: `${label} (at ${secondsText(onsetSec)}, after the last sample)`, after: true };
  }
  if (onsetSec + durationSec > endSec + EPSILON_SEC) {
    return { onsetSec, durationSec: endSec - onsetSec, label: `${label} (cut at the end of the recording from ${secondsText(durationSec)})`, after: false };
  }
  return { onsetSec, durationSec, label, after: false };
}

/** Whether an event lies inside a recording of endSec seconds: 0 ≤ onset and onset + duration ≤ end. */
export function insideRecording(event: RecordingEvent, endSec: number): boolean {
  return event.onsetSec >= 0 && event.durationSec >= 0 && event.onsetSec + event.durationSec <= endSec + EPSILON_SEC;
}
