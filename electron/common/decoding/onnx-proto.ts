// The few ONNX protobuf messages the workstation writes and reads, without a protobuf library:
// a wire-format writer (varints, length-delimited fields, packed int64) with encoders for
// ModelProto, GraphProto, NodeProto, AttributeProto (int, float, ints), TensorProto (raw_data,
// little-endian), ValueInfoProto/TypeProto/TensorShapeProto and StringStringEntryProto
// (metadata_props); and a reader that walks a model's top level and its graph's inputs and
// outputs only, for the metadata and input shapes a decoder needs before running a model (node
// payloads are skipped; initializers are read for their names only, so that inputs with defaults
// are told apart from the inputs a caller feeds). Field numbers are onnx/onnx.proto's (ONNX 1.8+,
// IR version 7). Pure: no Node, no protobuf package.

import { utf8 } from '../formats/edf-writer.js';
import { decodeUtf8 } from '../formats/text-decode.js';

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
export const ONNX_DOUBLE = 11;

export type OnnxElementType = 'float32' | 'float64';

export function onnxDataType(type: OnnxElementType): number {
  return type === 'float32' ? ONNX_FLOAT : ONNX_DOUBLE;
}

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

/** Appends protobuf wire-format fields to a growing byte buffer. */
export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buffer[this.length++] = b;
  }

  /** A varint; negative integers are written as 64-bit two's complement (10 bytes), as protobuf does. */
  varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Protobuf varint must be a safe integer; got ${value}.`);
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      this.byte(b);
    } while (v !== 0n);
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  intField(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  floatField(field: number, value: number): this {
    this.tag(field, WIRE_I32);
    this.ensure(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  stringField(field: number, text: string): this {
    return this.bytesField(field, utf8(text));
  }

  messageField(field: number, message: ProtoWriter): this {
    return this.bytesField(field, message.finish());
  }

  packedIntField(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

// ---- ONNX messages (writer side) ----

export type OnnxAttribute =
  | { readonly name: string; readonly int: number }
  | { readonly name: string; readonly float: number }
  | { readonly name: string; readonly ints: readonly number[] };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attributes?: readonly OnnxAttribute[];
}

export interface OnnxTensor {
  readonly name: string;
  readonly type: OnnxElementType;
  readonly dims: readonly number[];
  readonly values: ArrayLike<number>;
}

/** A tensor input or output: element type and shape (a string is a symbolic dimension, e.g. "batch"). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elementType: number;
  readonly dims: readonly (number | string)[];
  readonly docString?: string;
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  readonly graphName: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly metadata: Readonly<Record<string, string>>;
}

// AttributeProto.AttributeType
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

function encodeAttribute(a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().stringField(1, a.name);
  if ('int' in a) w.intField(3, a.int).intField(20, ATTRIBUTE_INT);
  else if ('float' in a) w.floatField(2, a.float).intField(20, ATTRIBUTE_FLOAT);
  else w.packedIntField(8, a.ints).intField(20, ATTRIBUTE_INTS);
  return w;
}

function encodeNode(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of n.inputs) w.stringField(1, input);
  for (const output of n.outputs) w.stringField(2, output);
  if (n.name) w.stringField(3, n.name);
  w.stringField(4, n.opType);
  for (const a of n.attributes ?? []) w.messageField(5, encodeAttribute(a));
  return w;
}

function encodeTensor(t: OnnxTensor): ProtoWriter {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.values.length !== count) throw new RangeError(`Tensor ${t.name} has ${t.values.length} values for dims [${t.dims.join(', ')}].`);
  const raw = new Uint8Array(count * (t.type === 'float32' ? 4 : 8));
  const view = new DataView(raw.buffer);
  for (let i = 0; i < count; i++) {
    if (t.type === 'float32') view.setFloat32(i * 4, t.values[i], true);
    else view.setFloat64(i * 8, t.values[i], true);
  }
  return new ProtoWriter().packedIntField(1, t.dims).intField(2, onnxDataType(t.type)).stringField(8, t.name).bytesField(9, raw);
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.intField(1, d);
    else dim.stringField(2, d);
    shape.messageField(1, dim);
  }
  const tensorType = new ProtoWriter().intField(1, v.elementType).messageField(2, shape);
  const type = new ProtoWriter().messageField(1, tensorType);
  const w = new ProtoWriter().stringField(1, v.name).messageField(2, type);
  if (v.docString) w.stringField(3, v.docString);
  return w;
}

/** The bytes of a .onnx file. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const graph = new ProtoWriter();
  for (const n of model.nodes) graph.messageField(1, encodeNode(n));
  graph.stringField(2, model.graphName);
  for (const t of model.initializers) graph.messageField(5, encodeTensor(t));
  for (const v of model.inputs) graph.messageField(11, encodeValueInfo(v));
  for (const v of model.outputs) graph.messageField(12, encodeValueInfo(v));

  const w = new ProtoWriter()
    .intField(1, model.irVersion)
    .stringField(2, model.producerName)
    .stringField(3, model.producerVersion);
  if (model.docString) w.stringField(6, model.docString);
  w.messageField(7, graph);
  w.messageField(8, new ProtoWriter().stringField(1, '').intField(2, model.opsetVersion));
  for (const [key, value] of Object.entries(model.metadata)) w.messageField(14, new ProtoWriter().stringField(1, key).stringField(2, value));
  return w.finish();
}

// ---- reader side ----

/** A malformed or foreign .onnx file: one sentence. */
export class OnnxFormatError extends Error {
  override readonly name = 'OnnxFormatError';
}

interface Field {
  readonly number: number;
  readonly wire: number;
  /** Varint value (wire 0), or the payload's start (other wire types). */
  readonly value: number;
  readonly start: number;
  readonly end: number;
}

/** Walks the fields of one message in bytes[start … end). */
function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  let at = start;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= end) throw new OnnxFormatError('The ONNX file ends in the middle of a field: it is truncated or not an ONNX model.');
      const b = bytes[at++];
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return result;
    }
    throw new OnnxFormatError('The ONNX file holds a malformed number: it is corrupt or not an ONNX model.');
  };
  while (at < end) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (number === 0) throw new OnnxFormatError('The ONNX file holds a field numbered 0: it is corrupt or not an ONNX model.');
    if (wire === WIRE_VARINT) {
      const value = varint();
      yield { number, wire, value, start: at, end: at };
    } else if (wire === WIRE_LEN || wire === WIRE_I64 || wire === WIRE_I32) {
      const length = wire === WIRE_LEN ? varint() : wire === WIRE_I64 ? 8 : 4;
      if (at + length > end) throw new OnnxFormatError('The ONNX file ends in the middle of a field: it is truncated or not an ONNX model.');
      yield { number, wire, value: at, start: at, end: at + length };
      at += length;
    } else {
      throw new OnnxFormatError(`The ONNX file uses protobuf wire type ${wire}, which ONNX never writes: it is corrupt or not an ONNX model.`);
    }
  }
}

function text(bytes: Uint8Array, f: Field): string {
  if (f.wire !== WIRE_LEN) throw new OnnxFormatError(`Field ${f.number} should be text in this ONNX file.`);
  return decodeUtf8(bytes, f.start, f.end);
}

export interface OnnxModelInfo {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  /** Version of the default ("" or "ai.onnx") operator set. */
  readonly opsetVersion: number | null;
  readonly metadata: Readonly<Record<string, string>>;
  /** Graph inputs that are not initializers (what a caller feeds). */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

function readValueInfo(bytes: Uint8Array, start: number, end: number): OnnxValueInfo {
  let name = '';
  let elementType = 0;
  const dims: (number | string)[] = [];
  let docString: string | undefined;
  for (const f of fields(bytes, start, end)) {
    if (f.number === 1) name = text(bytes, f);
    else if (f.number === 3) docString = text(bytes, f);
    else if (f.number === 2 && f.wire === WIRE_LEN) {
      for (const t of fields(bytes, f.start, f.end)) {
        if (t.number !== 1 || t.wire !== WIRE_LEN) continue; // not a tensor type (sequence, map, …)
        for (const tt of fields(bytes, t.start, t.end)) {
          if (tt.number === 1 && tt.wire === WIRE_VARINT) elementType = tt.value;
          else if (tt.number === 2 && tt.wire === WIRE_LEN) {
            for (const d of fields(bytes, tt.start, tt.end)) {
              if (d.number !== 1 || d.wire !== WIRE_LEN) continue;
              let dim: number | string = '?';
              for (const dv of fields(bytes, d.start, d.end)) {
                if (dv.number === 1 && dv.wire === WIRE_VARINT) dim = dv.value;
                else if (dv.number === 2) dim = text(bytes, dv);
              }
              dims.push(dim);
            }
          }
        }
      }
    }
  }
  return docString === undefined ? { name, elementType, dims } : { name, elementType, dims, docString };
}

/**
 * The top level of a .onnx file: versions, metadata_props, and the graph's inputs (initializers
 * left out) and outputs. Throws OnnxFormatError (a sentence) for bytes that are not an ONNX model.
 */
export function readOnnxModelInfo(bytes: Uint8Array): OnnxModelInfo {
  let irVersion = 0;
  let producerName = '';
  let producerVersion = '';
  let opsetVersion: number | null = null;
  const metadata: Record<string, string> = {};
  let graph: Field | null = null;
  for (const f of fields(bytes, 0, bytes.length)) {
    if (f.number === 1 && f.wire === WIRE_VARINT) irVersion = f.value;
    else if (f.number === 2) producerName = text(bytes, f);
    else if (f.number === 3) producerVersion = text(bytes, f);
    else if (f.number === 7 && f.wire === WIRE_LEN) graph = f;
    else if (f.number === 8 && f.wire === WIRE_LEN) {
      let domain = '';
      let version = 0;
      for (const o of fields(bytes, f.start, f.end)) {
        if (o.number === 1) domain = text(bytes, o);
        else if (o.number === 2 && o.wire === WIRE_VARINT) version = o.value;
      }
      if (domain === '' || domain === 'ai.onnx') opsetVersion = version;
    } else if (f.number === 14 && f.wire === WIRE_LEN) {
      let key = '';
      let value = '';
      for (const e of fields(bytes, f.start, f.end)) {
        if (e.number === 1) key = text(bytes, e);
        else if (e.number === 2) value = text(bytes, e);
      }
      metadata[key] = value;
    }
  }
  if (irVersion === 0 || graph === null) {
    throw new OnnxFormatError('This is not an ONNX model: it has no IR version or no graph.');
  }
  const initializerNames = new Set<string>();
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  for (const f of fields(bytes, graph.start, graph.end)) {
    if (f.number === 5 && f.wire === WIRE_LEN) {
      for (const t of fields(bytes, f.start, f.end)) if (t.number === 8) initializerNames.add(text(bytes, t));
    } else if (f.number === 11 && f.wire === WIRE_LEN) inputs.push(readValueInfo(bytes, f.start, f.end));
    else if (f.number === 12 && f.wire === WIRE_LEN) outputs.push(readValueInfo(bytes, f.start, f.end));
  }
  return {
    irVersion,
    producerName,
    producerVersion,
    opsetVersion,
    metadata,
    inputs: inputs.filter((i) => !initializerNames.has(i.name)),
    outputs,
  };
}
