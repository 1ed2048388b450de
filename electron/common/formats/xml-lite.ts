// A small, tolerant XML reader for the metadata inside recordings (XDF stream headers and footers):
// elements, text, self-closing tags, attributes (skipped), comments, CDATA, <?…?> and <!…>, and
// the five predefined entities plus numeric ones. Bounded: refuses input over MAX_XML_CHARS and
// nesting over MAX_DEPTH, so a hostile header cannot blow the stack or the heap.

import { RecordingFormatError } from './recording.js';

export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  /** The element's own text (concatenated, entities decoded, trimmed). */
  text: string;
}

const MAX_XML_CHARS = 16 << 20;
const MAX_DEPTH = 256;

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** Parses a document and returns its root element; `what` names it in errors. */
export function parseXml(xml: string, what: string): XmlElement {
  if (xml.length > MAX_XML_CHARS) throw new RecordingFormatError(`${what}: XML of ${xml.length} characters is too large`);
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  const texts: string[][] = [[]];
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) texts[texts.length - 1].push(xml.slice(i, textEnd));
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const e = xml.indexOf('-->', lt + 4);
      if (e < 0) throw new RecordingFormatError(`${what}: unterminated XML comment`);
      i = e + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const e = xml.indexOf(']]>', lt + 9);
      if (e < 0) throw new RecordingFormatError(`${what}: unterminated CDATA section`);
      texts[texts.length - 1].push(xml.slice(lt + 9, e).replace(/&/g, '&amp;'));
      i = e + 3;
    } else if (xml[lt + 1] === '?' || xml[lt + 1] === '!') {
      const e = xml.indexOf('>', lt + 2);
      if (e < 0) throw new RecordingFormatError(`${what}: unterminated XML declaration`);
      i = e + 1;
    } else if (xml[lt + 1] === '/') {
      const e = xml.indexOf('>', lt + 2);
      if (e < 0) throw new RecordingFormatError(`${what}: unterminated closing tag`);
      const name = xml.slice(lt + 2, e).trim();
      const top = stack[stack.length - 1];
      if (stack.length === 1 || top.name !== name) throw new RecordingFormatError(`${what}: XML closing tag </${name}> does not match <${top.name}>`);
      top.text = decodeEntities(texts.pop()!.join('')).trim();
      stack.pop();
      i = e + 1;
    } else {
      const e = xml.indexOf('>', lt + 1);
      if (e < 0) throw new RecordingFormatError(`${what}: unterminated XML tag`);
      const selfClosing = xml[e - 1] === '/';
      const inner = xml.slice(lt + 1, selfClosing ? e - 1 : e).trim();
      const m = /^[^\s/>]+/.exec(inner);
      if (!m) throw new RecordingFormatError(`${what}: malformed XML tag at character ${lt}`);
      const el: XmlElement = { name: m[0], children: [], text: '' };
      stack[stack.length - 1].children.push(el);
      if (!selfClosing) {
        if (stack.length > MAX_DEPTH) throw new RecordingFormatError(`${what}: XML nested deeper than ${MAX_DEPTH} levels`);
        stack.push(el);
        texts.push([]);
      }
      i = e + 1;
    }
  }
  if (stack.length > 1) throw new RecordingFormatError(`${what}: XML element <${stack[stack.length - 1].name}> is not closed`);
  const top = root.children[0];
  if (!top) throw new RecordingFormatError(`${what}: no XML element`);
  return top;
}

export function xmlChild(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function xmlChildren(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Text of a path of child names (e.g. 'desc', 'channels'), or undefined. */
export function xmlText(el: XmlElement | undefined, ...path: string[]): string | undefined {
  let e = el;
  for (const p of path) e = xmlChild(e, p);
  return e?.text;
}
