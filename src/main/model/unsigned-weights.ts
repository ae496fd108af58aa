import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const { INT8, UINT8 } = onnx.TensorProto.DataType;

/** Where the weights and their zero points sit among the inputs of the quantized ops that multiply. */
const WEIGHT_INPUTS: Record<string, [weight: number, zeroPoint: number]> = {
  QLinearConv: [3, 5],
  QLinearMatMul: [3, 5],
};

/**
 * The same quantized model with its int8 weights stored as uint8: each weight and its zero point shifted by 128,
 * which leaves every (weight − zero point) and so every result unchanged. ONNX Runtime's int8 fast path on x86
 * CPUs without VNNI (AVX2 only: AMD Zen 2 and 3, Intel before Ice Lake) adds uint8 × int8 products in pairs in
 * 16 bits, which saturate: MobileNetV2's features drift by more than 1 there. uint8 weights take an exact path
 * (about 1.5× slower). Weights shared with any other use are left as they are.
 */
export function unsignedWeights(model: Uint8Array): Uint8Array {
  const proto = onnx.ModelProto.decode(model);
  const graph = proto.graph;
  if (!graph) return model;
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]));
  const pairs: [string, string][] = [];
  const weightUses = new Map<string, number>();
  const allUses = new Map<string, number>();
  for (const node of graph.node ?? []) {
    const inputs = node.input ?? [];
    for (const name of inputs) allUses.set(name, (allUses.get(name) ?? 0) + 1);
    const at = WEIGHT_INPUTS[node.opType ?? ''];
    const weight = at && inputs[at[0]];
    const zeroPoint = at && inputs[at[1]];
    if (!weight || !zeroPoint) continue;
    pairs.push([weight, zeroPoint]);
    for (const name of [weight, zeroPoint]) weightUses.set(name, (weightUses.get(name) ?? 0) + 1);
  }
  const shifted = new Set(
    [...weightUses].filter(([name, uses]) => initializers.get(name)?.dataType === INT8 && allUses.get(name) === uses).map(([name]) => name),
  );
  // A weight and its zero point change type together or not at all, also where a zero point is shared.
  for (let settled = false; !settled; ) {
    settled = true;
    for (const [weight, zeroPoint] of pairs) {
      if (shifted.has(weight) === shifted.has(zeroPoint)) continue;
      shifted.delete(weight);
      shifted.delete(zeroPoint);
      settled = false;
    }
  }
  for (const name of shifted) {
    const tensor = initializers.get(name)!;
    const signed = tensor.rawData?.length
      ? new Int8Array(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.length)
      : Int8Array.from(tensor.int32Data ?? []);
    tensor.rawData = Uint8Array.from(signed, (value) => value + 128);
    tensor.int32Data = [];
    tensor.dataType = UINT8;
  }
  return shifted.size > 0 ? onnx.ModelProto.encode(proto).finish() : model;
}
