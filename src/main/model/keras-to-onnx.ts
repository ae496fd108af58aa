import type { onnx as OnnxTypes } from 'onnx-proto';
import { z } from 'zod';
import { encodeModel, FLOAT, INT64, onnx, valueInfo } from './onnx-builder.ts';

/**
 * Converts a TensorFlow.js *layers* model (a Keras functional model: model.json and its weight shards) into an
 * ONNX model (opset 14, float32) that takes NCHW input `input` [N,C,H,W] with a dynamic batch and has three outputs:
 *   pooled  the global average pool feeding the final Dense layer,
 *   mid     the global average of the last feature map at stride `midStride` (16: the end of ResNet's res4 stage),
 *   logits  the final Dense layer before its activation.
 * Handled layers: InputLayer, Conv2D, BatchNormalization, Activation (relu, linear, softmax), Add, ZeroPadding2D,
 * MaxPooling2D, GlobalAveragePooling2D, Dense. BatchNormalization after a convolution is folded into it, and
 * ZeroPadding2D that only feeds convolutions becomes their padding. The output bytes depend only on the input.
 */

const Pair = z.tuple([z.number().int(), z.number().int()]);
const ChannelsLast = z.literal('channels_last').default('channels_last');
const ActivationName = z.enum(['linear', 'relu', 'softmax']);
const InboundRef = z.tuple([z.string(), z.number().int(), z.number().int()], z.unknown());

const Layer = z.object({
  name: z.string(),
  class_name: z.string(),
  config: z.record(z.string(), z.unknown()),
  inbound_nodes: z.array(z.array(InboundRef)),
});
type Layer = z.infer<typeof Layer>;

const WeightEntry = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
  quantization: z.undefined({ error: 'quantized weights are not supported' }).optional(),
});

export const TfjsLayersModel = z.object({
  format: z.literal('layers-model').optional(),
  modelTopology: z.object({
    model_config: z.object({
      class_name: z.enum(['Model', 'Functional']),
      config: z.object({ layers: z.array(Layer), input_layers: z.array(InboundRef), output_layers: z.array(InboundRef) }),
    }),
  }),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()).min(1), weights: z.array(WeightEntry) })),
});
export type TfjsLayersModel = z.infer<typeof TfjsLayersModel>;

const InputConfig = z.object({ batch_input_shape: z.tuple([z.null(), z.number().int(), z.number().int(), z.number().int()]) });
const ConvConfig = z.object({
  filters: z.number().int().positive(),
  kernel_size: Pair,
  strides: Pair,
  padding: z.enum(['valid', 'same']),
  data_format: ChannelsLast,
  dilation_rate: Pair.default([1, 1]),
  activation: ActivationName,
  use_bias: z.boolean(),
});
const BatchNormConfig = z.object({
  axis: z.union([z.literal(-1), z.literal(3), z.tuple([z.union([z.literal(-1), z.literal(3)])])]),
  epsilon: z.number().positive(),
  center: z.boolean(),
  scale: z.boolean(),
});
const ActivationConfig = z.object({ activation: ActivationName });
const ZeroPaddingConfig = z.object({ padding: z.tuple([Pair, Pair]), data_format: ChannelsLast });
const MaxPoolConfig = z.object({ pool_size: Pair, strides: Pair.nullable(), padding: z.enum(['valid', 'same']), data_format: ChannelsLast });
const GlobalPoolConfig = z.object({ data_format: ChannelsLast });
const DenseConfig = z.object({ units: z.number().int().positive(), activation: ActivationName, use_bias: z.boolean() });

/** A converted tensor: its ONNX name and its shape without the batch axis ([C,H,W] or [F]). */
interface Tensor {
  name: string;
  shape: number[];
  /** Zero padding [top, bottom, left, right] not yet applied: the consuming convolutions take it as their own padding. */
  pad?: [number, number, number, number];
}

export function kerasLayersToOnnx(modelJson: unknown, readWeightFile: (path: string) => Uint8Array, midStride = 16): Uint8Array {
  const model = TfjsLayersModel.parse(modelJson);
  const weights = new WeightStore(model, readWeightFile);
  const { layers, input_layers, output_layers } = model.modelTopology.model_config.config;
  if (input_layers.length !== 1 || output_layers.length !== 1) throw new Error('only models with one input and one output are supported');
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  const consumers = new Map<string, Layer[]>();
  for (const layer of layers) for (const source of sourcesOf(layer)) consumers.set(source, [...(consumers.get(source) ?? []), layer]);
  const outputLayer = byName.get(output_layers[0]![0]);
  if (outputLayer?.class_name !== 'Dense') throw new Error('the model output must be a Dense layer (the classifier)');

  const nodes: OnnxTypes.INodeProto[] = [];
  const initializers: OnnxTypes.ITensorProto[] = [];
  const inputs: OnnxTypes.IValueInfoProto[] = [];
  const tensors = new Map<string, Tensor>();
  const preActivation = new Map<string, Tensor>();
  const foldedBatchNorms = new Set<string>();
  let inputSize = 0;
  let midSource: Tensor | undefined;

  const initializer = (name: string, dims: number[], data: Float32Array): string => {
    initializers.push({ name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  };
  const node = (opType: string, input: string[], output: string, attribute: OnnxTypes.IAttributeProto[] = []): string => {
    nodes.push({ opType, input, output: [output], name: output, attribute });
    return output;
  };
  const source = (layer: Layer, index = 0): Tensor => {
    const tensor = tensors.get(sourcesOf(layer)[index]!)!;
    if (tensor.pad && layer.class_name !== 'Conv2D') throw new Error(`${layer.name}: unexpected pending padding`);
    return tensor;
  };
  const activate = (name: string, x: Tensor, activation: z.infer<typeof ActivationName>): Tensor => {
    if (activation === 'linear') return x;
    return { name: node(activation === 'relu' ? 'Relu' : 'Softmax', [x.name], name, activation === 'softmax' ? [ints('axis', 1)] : []), shape: x.shape };
  };
  const globalAverage = (name: string, x: Tensor): Tensor => {
    if (x.shape.length !== 3) throw new Error(`${name}: global pooling needs a feature map`);
    node('GlobalAveragePool', [x.name], `${name}_pool`);
    return { name: node('Flatten', [`${name}_pool`], name, [ints('axis', 1)]), shape: [x.shape[0]!] };
  };

  const convert: Record<string, (layer: Layer) => Tensor> = {
    InputLayer(layer) {
      const [, height, width, channels] = InputConfig.parse(layer.config).batch_input_shape;
      inputSize = height;
      inputs.push(valueInfo('input', FLOAT, ['N', channels, height, width]));
      return { name: 'input', shape: [channels, height, width] };
    },
    Conv2D(layer) {
      const c = ConvConfig.parse(layer.config);
      const x = source(layer);
      const [inChannels, height, width] = x.shape as [number, number, number];
      const extra = x.pad ?? [0, 0, 0, 0];
      const [kh, kw] = c.kernel_size;
      const [top, bottom, outHeight] = spatialPads(height + extra[0] + extra[1], kh, c.strides[0], c.dilation_rate[0], c.padding);
      const [left, right, outWidth] = spatialPads(width + extra[2] + extra[3], kw, c.strides[1], c.dilation_rate[1], c.padding);
      const kernel = hwioToOihw(weights.take(`${layer.name}/kernel`, [kh, kw, inChannels, c.filters]), kh, kw, inChannels, c.filters);
      const bias = c.use_bias ? Float32Array.from(weights.take(`${layer.name}/bias`, [c.filters])) : new Float32Array(c.filters);
      const next = consumers.get(layer.name) ?? [];
      if (c.activation === 'linear' && next.length === 1 && next[0]!.class_name === 'BatchNormalization') {
        const norm = batchNorm(next[0]!, c.filters, weights);
        const plane = inChannels * kh * kw;
        for (let o = 0; o < c.filters; o++) {
          for (let i = o * plane; i < (o + 1) * plane; i++) kernel[i] = kernel[i]! * norm.scale[o]!;
          bias[o] = bias[o]! * norm.scale[o]! + norm.shift[o]!;
        }
        foldedBatchNorms.add(next[0]!.name);
      }
      const linear = c.activation === 'linear' ? layer.name : `${layer.name}_linear`;
      node('Conv', [x.name, initializer(`${layer.name}/W`, [c.filters, inChannels, kh, kw], kernel), initializer(`${layer.name}/B`, [c.filters], bias)], linear, [
        ints('kernel_shape', [kh, kw]),
        ints('strides', c.strides),
        ints('dilations', c.dilation_rate),
        ints('pads', [top + extra[0], left + extra[2], bottom + extra[1], right + extra[3]]),
      ]);
      return activate(layer.name, { name: linear, shape: [c.filters, outHeight, outWidth] }, c.activation);
    },
    BatchNormalization(layer) {
      const x = source(layer);
      if (foldedBatchNorms.has(layer.name)) return x;
      const norm = batchNorm(layer, x.shape[0]!, weights);
      const dims = x.shape.length === 3 ? [x.shape[0]!, 1, 1] : [x.shape[0]!];
      node('Mul', [x.name, initializer(`${layer.name}/scale`, dims, norm.scale)], `${layer.name}_scaled`);
      return { name: node('Add', [`${layer.name}_scaled`, initializer(`${layer.name}/shift`, dims, norm.shift)], layer.name), shape: x.shape };
    },
    Activation(layer) {
      return activate(layer.name, source(layer), ActivationConfig.parse(layer.config).activation);
    },
    Add(layer) {
      const parts = sourcesOf(layer).map((_, i) => source(layer, i));
      if (parts.some((part) => part.shape.join() !== parts[0]!.shape.join())) throw new Error(`${layer.name}: Add of different shapes`);
      return { name: node(parts.length === 2 ? 'Add' : 'Sum', parts.map((part) => part.name), layer.name), shape: parts[0]!.shape };
    },
    ZeroPadding2D(layer) {
      const [[top, bottom], [left, right]] = ZeroPaddingConfig.parse(layer.config).padding;
      const x = source(layer);
      const [channels, height, width] = x.shape as [number, number, number];
      const shape = [channels, height + top + bottom, width + left + right];
      const next = consumers.get(layer.name) ?? [];
      if (next.length > 0 && next.every((consumer) => consumer.class_name === 'Conv2D')) return { ...x, shape: x.shape, pad: [top, bottom, left, right] };
      const pads = new BigInt64Array([0, 0, top, left, 0, 0, bottom, right].map(BigInt));
      initializers.push({ name: `${layer.name}/pads`, dims: [8], dataType: INT64, rawData: new Uint8Array(pads.buffer) });
      return { name: node('Pad', [x.name, `${layer.name}/pads`], layer.name), shape };
    },
    MaxPooling2D(layer) {
      const c = MaxPoolConfig.parse(layer.config);
      const strides = c.strides ?? c.pool_size;
      const x = source(layer);
      const [channels, height, width] = x.shape as [number, number, number];
      const [top, bottom, outHeight] = spatialPads(height, c.pool_size[0], strides[0], 1, c.padding);
      const [left, right, outWidth] = spatialPads(width, c.pool_size[1], strides[1], 1, c.padding);
      const name = node('MaxPool', [x.name], layer.name, [ints('kernel_shape', c.pool_size), ints('strides', strides), ints('pads', [top, left, bottom, right])]);
      return { name, shape: [channels, outHeight, outWidth] };
    },
    GlobalAveragePooling2D(layer) {
      GlobalPoolConfig.parse(layer.config);
      return globalAverage(layer.name, source(layer));
    },
    Dense(layer) {
      const c = DenseConfig.parse(layer.config);
      const x = source(layer);
      if (x.shape.length !== 1) throw new Error(`${layer.name}: Dense needs a vector input`);
      const kernel = weights.take(`${layer.name}/kernel`, [x.shape[0]!, c.units]);
      const bias = c.use_bias ? weights.take(`${layer.name}/bias`, [c.units]) : new Float32Array(c.units);
      const linearName = `${layer.name}_linear`;
      node('Gemm', [x.name, initializer(`${layer.name}/W`, [x.shape[0]!, c.units], kernel), initializer(`${layer.name}/B`, [c.units], bias)], linearName);
      const linear = { name: linearName, shape: [c.units] };
      preActivation.set(layer.name, linear);
      return layer === outputLayer ? linear : activate(layer.name, linear, c.activation);
    },
  };

  const pending = [...layers];
  while (pending.length > 0) {
    const index = pending.findIndex((layer) => sourcesOf(layer).every((name) => tensors.has(name)));
    if (index < 0) throw new Error(`layers ${pending.map((l) => l.name).join(', ')} have inputs that no layer produces`);
    const layer = pending.splice(index, 1)[0]!;
    const convertLayer = convert[layer.class_name];
    if (!convertLayer) throw new Error(`${layer.name}: layer type ${layer.class_name} is not supported`);
    const tensor = convertLayer(layer);
    tensors.set(layer.name, tensor);
    if (tensor.shape.length === 3 && !tensor.pad && tensor.shape[1]! * midStride === inputSize) midSource = tensor;
  }
  weights.assertAllUsed();

  const classifierInput = byName.get(sourcesOf(outputLayer)[0]!)!;
  if (classifierInput.class_name !== 'GlobalAveragePooling2D') throw new Error('the classifier must read a GlobalAveragePooling2D layer');
  if (!midSource) throw new Error(`no feature map at stride ${midStride}`);
  const logits = preActivation.get(outputLayer.name)!;
  const pooled = tensors.get(classifierInput.name)!;
  const mid = globalAverage('mid_pooled', midSource);
  const outputs = { pooled, mid, logits };
  for (const [name, tensor] of Object.entries(outputs)) node('Identity', [tensor.name], name);
  return encodeModel(
    {
      name: model.modelTopology.model_config.config.layers[0]?.name ?? 'keras',
      node: nodes,
      initializer: initializers,
      input: inputs,
      output: Object.entries(outputs).map(([name, tensor]) => valueInfo(name, FLOAT, ['N', tensor.shape[0]!])),
    },
    14,
    'subspace-keras-to-onnx',
  );
}

function sourcesOf(layer: Layer): string[] {
  if (layer.inbound_nodes.length > 1) throw new Error(`${layer.name}: shared layers are not supported`);
  return (layer.inbound_nodes[0] ?? []).map(([name, nodeIndex, tensorIndex]) => {
    if (nodeIndex !== 0 || tensorIndex !== 0) throw new Error(`${layer.name}: multi-output layers are not supported`);
    return name;
  });
}

function ints(name: string, values: number | number[]): OnnxTypes.IAttributeProto {
  return typeof values === 'number'
    ? { name, i: values, type: onnx.AttributeProto.AttributeType.INT }
    : { name, ints: values, type: onnx.AttributeProto.AttributeType.INTS };
}

/** Padding before and after one spatial axis, and the output size, as TensorFlow computes them ('same' puts the odd pixel after). */
function spatialPads(size: number, kernel: number, stride: number, dilation: number, padding: 'valid' | 'same'): [number, number, number] {
  const extent = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return [0, 0, Math.floor((size - extent) / stride) + 1];
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + extent - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2), out];
}

function hwioToOihw(kernel: Float32Array, kh: number, kw: number, inChannels: number, outChannels: number): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < inChannels; i++)
        for (let o = 0; o < outChannels; o++) out[((o * inChannels + i) * kh + h) * kw + w] = kernel[((h * kw + w) * inChannels + i) * outChannels + o]!;
  return out;
}

/** Inference-time batch normalization as y = x*scale + shift per channel. */
function batchNorm(layer: Layer, channels: number, weights: WeightStore): { scale: Float32Array; shift: Float32Array } {
  const c = BatchNormConfig.parse(layer.config);
  const get = (name: string) => weights.take(`${layer.name}/${name}`, [channels]);
  const gamma = c.scale ? get('gamma') : new Float32Array(channels).fill(1);
  const beta = c.center ? get('beta') : new Float32Array(channels);
  const mean = get('moving_mean');
  const variance = get('moving_variance');
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let k = 0; k < channels; k++) {
    const s = gamma[k]! / Math.sqrt(variance[k]! + c.epsilon);
    scale[k] = s;
    shift[k] = beta[k]! - mean[k]! * s;
  }
  return { scale, shift };
}

/** The weights of all groups, read shard by shard in manifest order; each is taken once, by name and expected shape. */
class WeightStore {
  private readonly weights = new Map<string, { shape: number[]; data: Float32Array }>();
  private readonly used = new Set<string>();

  constructor(model: TfjsLayersModel, readWeightFile: (path: string) => Uint8Array) {
    for (const group of model.weightsManifest) {
      const bytes = Buffer.concat(group.paths.map((path) => readWeightFile(path)));
      let offset = 0;
      for (const entry of group.weights) {
        const length = 4 * entry.shape.reduce((a, b) => a * b, 1);
        if (offset + length > bytes.length) throw new Error(`weight shards end before ${entry.name}`);
        const copy = new Uint8Array(length);
        copy.set(bytes.subarray(offset, offset + length));
        this.weights.set(entry.name, { shape: entry.shape, data: new Float32Array(copy.buffer) });
        offset += length;
      }
      if (offset !== bytes.length) throw new Error(`weight shards ${group.paths.join(', ')} hold ${bytes.length - offset} bytes more than the manifest lists`);
    }
  }

  take(name: string, shape: number[]): Float32Array {
    const weight = this.weights.get(name);
    if (!weight) throw new Error(`weight ${name} is missing`);
    if (weight.shape.join() !== shape.join()) throw new Error(`weight ${name} has shape [${weight.shape}], expected [${shape}]`);
    this.used.add(name);
    return weight.data;
  }

  assertAllUsed(): void {
    const unused = [...this.weights.keys()].filter((name) => !this.used.has(name));
    if (unused.length > 0) throw new Error(`weights not used by any layer: ${unused.join(', ')}`);
  }
}
