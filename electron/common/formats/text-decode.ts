// Byte-level text helpers for the readers (electron/common has no TextDecoder in its types):
// UTF-8 and Latin-1 decoding, and a decimal parser that reads a number straight from bytes with
// the same result as Number() on the text, without building a string for the common case.

const CHUNK = 8192;

/** Latin-1 (each byte one code point): EDF header fields, which are ASCII by the spec. */
export function decodeLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i += CHUNK) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + CHUNK)));
  }
  return s;
}

/** UTF-8 with one U+FFFD per malformed sequence (the WHATWG decoder's rule); never throws. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const codes: number[] = [];
  let s = '';
  let i = start;
  while (i < end) {
    const b0 = bytes[i++];
    let cp = b0;
    if (b0 >= 0x80) {
      let need = 0;
      let lower = 0x80;
      let upper = 0xbf;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        need = 1;
        cp = b0 & 0x1f;
      } else if (b0 >= 0xe0 && b0 <= 0xef) {
        need = 2;
        cp = b0 & 0x0f;
        if (b0 === 0xe0) lower = 0xa0;
        if (b0 === 0xed) upper = 0x9f;
      } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        need = 3;
        cp = b0 & 0x07;
        if (b0 === 0xf0) lower = 0x90;
        if (b0 === 0xf4) upper = 0x8f;
      }
      if (need === 0) cp = 0xfffd;
      else {
        let k = 0;
        for (; k < need; k++) {
          const b = i < end ? bytes[i] : -1;
          if (b < lower || b > upper) break;
          cp = (cp << 6) | (b & 0x3f);
          lower = 0x80;
          upper = 0xbf;
          i++;
        }
        if (k < need) cp = 0xfffd; // the valid prefix is replaced once; the offending byte is read again
      }
    }
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      codes.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else codes.push(cp);
    if (codes.length >= CHUNK) {
      s += String.fromCharCode(...codes);
      codes.length = 0;
    }
  }
  return s + String.fromCharCode(...codes);
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * The number written in bytes[start, end) (surrounding spaces allowed), or NaN when it is not a plain
 * decimal number. Same value as Number(text): mantissas up to 2^53 with at most 22 decimals are
 * one correctly rounded division; anything longer goes through Number().
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && (bytes[start] === 0x20 || bytes[start] === 0x09)) start++;
  while (end > start && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09 || bytes[end - 1] === 0x0d)) end--;
  if (start >= end) return NaN;
  let i = start;
  let negative = false;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let sawDot = false;
  let simple = true;
  for (; i < end; i++) {
    const c = bytes[i];
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (sawDot) decimals++;
    } else if (c === 0x2e && !sawDot) sawDot = true;
    else break;
  }
  if (digits === 0) return NaN;
  if (i < end) {
    // exponent, or not a number at all
    if (bytes[i] !== 0x65 && bytes[i] !== 0x45) return NaN;
    simple = false;
    let j = i + 1;
    if (j < end && (bytes[j] === 0x2d || bytes[j] === 0x2b)) j++;
    if (j >= end) return NaN;
    for (; j < end; j++) if (bytes[j] < 0x30 || bytes[j] > 0x39) return NaN;
  }
  if (simple && mantissa <= Number.MAX_SAFE_INTEGER && decimals < POW10.length) {
    const v = decimals === 0 ? mantissa : mantissa / POW10[decimals];
    return negative ? -v : v;
  }
  return Number(decodeLatin1(bytes, start, end));
}

/** Number of a trimmed text field, NaN unless the whole field is a number ("1,5" read as 1.5). */
export function parseNumberText(text: string): number {
  const t = text.trim().replace(',', '.');
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}
