import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';

/** Small helpers to write ONNX models: the Keras converter's output, and test stand-ins for downloaded models. */
export const { onnx } = onnxProto;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;

export function valueInfo(name: string, elemType: number, dims: (number | string)[]): OnnxTypes.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

export function encodeModel(graph: OnnxTypes.IGraphProto, opset = 13, producerName = 'subspace-tests'): Uint8Array {
  return onnx.ModelProto.encode({ irVersion: 7, opsetImport: [{ domain: '', version: opset }], producerName, graph }).finish();
}
