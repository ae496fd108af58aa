import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';

/** Small helpers to write real ONNX models for tests (stand-ins for downloaded models, with known behaviour). */
export const { onnx } = onnxProto;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;

export function valueInfo(name: string, elemType: number, dims: (number | string)[]): OnnxTypes.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

export function encodeModel(graph: OnnxTypes.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], producerName: 'subspace-tests', graph }).finish();
}
