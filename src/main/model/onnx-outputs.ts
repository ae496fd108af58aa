import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * Rewrites an ONNX model in memory so that some of its intermediate tensors become graph outputs.
 * Quantized (uint8) tensors get a DequantizeLinear node with the tensor's own scale and zero point,
 * so every exposed output is float32. The weights are untouched: this only adds outputs.
 *
 * `outputs` maps the new output name to the intermediate tensor's name in the graph; an entry naming a graph
 * output as itself (a model converted with the outputs it needs) is left as it is. When all entries do, the
 * bytes are returned untouched, sparing the decoding of a large model.
 */
export function exposeIntermediateOutputs(model: Uint8Array, outputs: Record<string, string>): Uint8Array {
  if (Object.entries(outputs).every(([outName, tensor]) => outName === tensor)) return model;
  const proto = onnx.ModelProto.decode(model);
  const graph = proto.graph;
  if (!graph) throw new Error('ONNX model has no graph');
  const nodes = (graph.node ??= []);
  const graphOutputs = (graph.output ??= []);
  const produced = new Set(nodes.flatMap((n) => n.output ?? []));
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  for (const [outName, tensor] of Object.entries(outputs)) {
    if (outName === tensor && graphOutputs.some((output) => output.name === tensor)) continue;
    if (!produced.has(tensor)) throw new Error(`ONNX graph has no tensor named ${tensor}`);
    let source = tensor;
    if (tensor.endsWith('_quantized')) {
      const base = tensor.slice(0, -'_quantized'.length);
      const scale = `${base}_scale`;
      const zero = `${base}_zero_point`;
      if (!initializers.has(scale) || !initializers.has(zero)) {
        throw new Error(`ONNX graph has no quantization parameters for ${tensor}`);
      }
      source = outName;
      nodes.push(
        onnx.NodeProto.create({ opType: 'DequantizeLinear', input: [tensor, scale, zero], output: [outName], name: `expose_${outName}` }),
      );
    } else {
      nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [tensor], output: [outName], name: `expose_${outName}` }));
    }
    graphOutputs.push(
      onnx.ValueInfoProto.create({
        name: source === tensor ? outName : source,
        type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } },
      }),
    );
  }
  return onnx.ModelProto.encode(proto).finish();
}
