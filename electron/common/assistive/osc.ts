// OSC 1.0 messages (Open Sound Control) for assistive outputs: an address pattern, a type tag
// string, and int32 / float32 / string arguments, each padded to 4 bytes, big-endian.

import { utf8 } from '../formats/edf-writer.js';
import { decodeUtf8 } from '../formats/text-decode.js';

export type OscArgument = { readonly type: 'i'; readonly value: number } | { readonly type: 'f'; readonly value: number } | { readonly type: 's'; readonly value: string };

function padded(bytes: Uint8Array): number {
  return (bytes.length + 4) & ~3; // a NUL terminator, then to the next multiple of 4
}

export function encodeOsc(address: string, args: readonly OscArgument[]): Uint8Array {
  if (!address.startsWith('/')) throw new RangeError(`an OSC address starts with "/", got "${address}"`);
  const parts: Uint8Array[] = [utf8(address), utf8(',' + args.map((a) => a.type).join(''))];
  let size = padded(parts[0]) + padded(parts[1]);
  const encodedStrings = args.map((a) => (a.type === 's' ? utf8(a.value) : undefined));
  for (const [i, a] of args.entries()) size += a.type === 's' ? padded(encodedStrings[i]!) : 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const putString = (bytes: Uint8Array) => {
    out.set(bytes, at);
    at += padded(bytes);
  };
  putString(parts[0]);
  putString(parts[1]);
  for (const [i, a] of args.entries()) {
    if (a.type === 's') putString(encodedStrings[i]!);
    else {
      if (a.type === 'i') view.setInt32(at, a.value, false);
      else view.setFloat32(at, a.value, false);
      at += 4;
    }
  }
  return out;
}

/** Reads an OSC message back (for tests and tools): its address and arguments. */
export function decodeOsc(bytes: Uint8Array): { address: string; args: (number | string)[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const readString = (): string => {
    let end = at;
    while (end < bytes.length && bytes[end] !== 0) end++;
    if (end >= bytes.length) throw new RangeError('OSC: a string has no terminator');
    const text = decodeUtf8(bytes, at, end);
    at = (end + 4) & ~3;
    return text;
  };
  const address = readString();
  const tags = readString();
  if (!tags.startsWith(',')) throw new RangeError('OSC: no type tag string');
  const args: (number | string)[] = [];
  for (const tag of tags.slice(1)) {
    if (tag === 's') args.push(readString());
    else if (tag === 'i' || tag === 'f') {
      if (at + 4 > bytes.length) throw new RangeError('OSC: an argument runs past the end');
      args.push(tag === 'i' ? view.getInt32(at, false) : view.getFloat32(at, false));
      at += 4;
    } else throw new RangeError(`OSC: type tag "${tag}" is not supported`);
  }
  return { address, args };
}
