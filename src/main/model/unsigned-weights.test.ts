import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { unsignedWeights } from './unsigned-weights.ts';

const { onnx } = onnxProto;
const { FLOAT, INT8, UINT8 } = onnx.TensorProto.DataType;
const K = 64;

const scalar = (name: string, dataType: number, value: number) =>
  onnx.TensorProto.create({
    name,
    dataType,
    dims: [],
    ...(dataType === FLOAT ? { floatData: [value] } : { rawData: dataType === INT8 ? Uint8Array.of(value & 0xff) : Uint8Array.of(value) }),
  });

/**
 * y = a · b with uint8 activations a (1×K) and int8 weights b (K×1): all at their largest, 255 and 127, where
 * adding two products in 16 bits (ONNX Runtime's int8 path on x86 without VNNI) saturates. `extra` adds a second
 * use of the weights' zero point as an activation's, which must keep it int8.
 */
function matMulModel(extra = false): Uint8Array {
  const y = 255 * 127 * K;
  const nodes = [onnx.NodeProto.create({ opType: 'QLinearMatMul', input: ['a', 'one', 'zero_u8', 'b', 'one', 'zero_s8', 'y_scale', 'zero_u8'], output: ['y'] })];
  const outputs = [onnx.ValueInfoProto.create({ name: 'y', type: { tensorType: { elemType: UINT8, shape: { dim: [{ dimValue: 1 }, { dimValue: 1 }] } } } })];
  if (extra) {
    nodes.push(onnx.NodeProto.create({ opType: 'DequantizeLinear', input: ['b', 'one', 'zero_s8'], output: ['b_float'] }));
    outputs.push(onnx.ValueInfoProto.create({ name: 'b_float', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: K }, { dimValue: 1 }] } } } }));
  }
  const graph = onnx.GraphProto.create({
    name: 'matmul',
    node: nodes,
    input: [onnx.ValueInfoProto.create({ name: 'a', type: { tensorType: { elemType: UINT8, shape: { dim: [{ dimValue: 1 }, { dimValue: K }] } } } })],
    output: outputs,
    initializer: [
      onnx.TensorProto.create({ name: 'b', dataType: INT8, dims: [K, 1], rawData: new Uint8Array(K).fill(127) }),
      scalar('one', FLOAT, 1),
      scalar('y_scale', FLOAT, y / 200),
      scalar('zero_u8', UINT8, 0),
      scalar('zero_s8', INT8, 0),
    ],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

async function run(model: Uint8Array): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model);
  try {
    return await session.run({ a: new ort.Tensor('uint8', new Uint8Array(K).fill(255), [1, K]) });
  } finally {
    await session.release();
  }
}

describe('unsignedWeights', () => {
  it('stores int8 weights and their zero point as uint8, and the product comes out exact on every CPU', async () => {
    const model = unsignedWeights(matMulModel());
    const b = onnx.ModelProto.decode(model).graph!.initializer!.find((t) => t.name === 'b')!;
    expect(b.dataType).toBe(UINT8);
    expect([...b.rawData!.slice(0, 3)]).toEqual([255, 255, 255]);
    expect(onnx.ModelProto.decode(model).graph!.initializer!.find((t) => t.name === 'zero_s8')!.rawData![0]).toBe(128);
    expect((await run(model)).y!.data[0]).toBe(200);
  });

  it('leaves weights alone where their zero point has another use, and the model still runs', async () => {
    const original = matMulModel(true);
    expect(unsignedWeights(original)).toBe(original);
    expect((await run(original)).b_float!.data[0]).toBe(127);
  });
});
