// EDF+/BDF+ annotations: Time-stamped Annotations Lists (TALs) in an "EDF Annotations" signal.
//
// A TAL is  onset [0x15 duration] 0x14 text 0x14 [text 0x14 …] 0x00,  onset "+12.5" or "-0.2"
// (seconds from the file's start date/time), duration "3.1" (optional), texts UTF-8. Each data
// record's annotation bytes hold TALs back to back, then zero padding. The first TAL of a record
// in the first annotations signal is the record's time-keeping entry ("+onset 0x14 0x14 0x00",
// no text): the start of that record, which is how EDF+D files place records with gaps between.

import { decodeUtf8 } from './text-decode.js';

export interface Tal {
  readonly onsetSec: number;
  readonly durationSec: number;
  /** Annotation texts (empty for a time-keeping entry). */
  readonly texts: string[];
}

const ONSET = /^[+-]\d+(\.\d*)?$/;
const DURATION = /^\d+(\.\d*)?$/;

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Parses the TALs in one record's annotation bytes; malformed TALs are counted and skipped. */
export function parseTals(bytes: Uint8Array): { tals: Tal[]; malformed: number } {
  const tals: Tal[] = [];
  let malformed = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    if (bytes[i] === 0) {
      i++;
      continue;
    }
    let end = bytes.indexOf(0, i);
    if (end < 0) end = n;
    const tal = parseOne(bytes, i, end);
    if (tal) tals.push(tal);
    else malformed++;
    i = end + 1;
  }
  return { tals, malformed };
}

function parseOne(bytes: Uint8Array, start: number, end: number): Tal | null {
  // the timing part runs to the first 0x14
  const firstSep = bytes.indexOf(0x14, start);
  if (firstSep < 0 || firstSep >= end) return null;
  const dur = bytes.indexOf(0x15, start);
  const onsetEnd = dur >= 0 && dur < firstSep ? dur : firstSep;
  const onsetText = ascii(bytes, start, onsetEnd);
  if (!ONSET.test(onsetText)) return null;
  let durationSec = 0;
  if (onsetEnd !== firstSep) {
    const durationText = ascii(bytes, onsetEnd + 1, firstSep);
    if (durationText !== '') {
      if (!DURATION.test(durationText)) return null;
      durationSec = Number(durationText);
    }
  }
  const texts: string[] = [];
  let p = firstSep + 1;
  while (p < end) {
    let q = bytes.indexOf(0x14, p);
    if (q < 0 || q > end) q = end;
    if (q > p) texts.push(decodeUtf8(bytes, p, q));
    p = q + 1;
  }
  return { onsetSec: Number(onsetText), durationSec, texts };
}
