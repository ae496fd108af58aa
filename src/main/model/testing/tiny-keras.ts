/**
 * A tiny Keras functional model in TensorFlow.js layers format (model.json plus weight shards, random weights),
 * shaped like a ResNet: zero padding, strided convolutions ('valid' and TensorFlow's asymmetric 'same'),
 * batch normalization after a convolution and after an Add, a residual Add, max pooling, global average pooling
 * and a softmax classifier. Input 32×32×3; the feature map at stride 16 is `conv3` (2×2×8).
 */

type Config = Record<string, unknown>;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

interface TinyLayer {
  name: string;
  class_name: string;
  config: Config;
  inputs: string[];
}

const conv = (name: string, input: string, filters: number, kernel: number, stride: number, padding: string, activation = 'linear', useBias = true): TinyLayer => ({
  name,
  class_name: 'Conv2D',
  config: { name, filters, kernel_size: [kernel, kernel], strides: [stride, stride], padding, data_format: 'channels_last', dilation_rate: [1, 1], activation, use_bias: useBias },
  inputs: [input],
});
const batchNorm = (name: string, input: string, center = true): TinyLayer => ({
  name,
  class_name: 'BatchNormalization',
  config: { name, axis: [3], momentum: 0.99, epsilon: 0.001, center, scale: true },
  inputs: [input],
});
const relu = (name: string, input: string): TinyLayer => ({ name, class_name: 'Activation', config: { name, activation: 'relu' }, inputs: [input] });
const zeroPad = (name: string, input: string, p: number): TinyLayer => ({
  name,
  class_name: 'ZeroPadding2D',
  config: { name, padding: [[p, p], [p, p]], data_format: 'channels_last' },
  inputs: [input],
});

export const TINY_LAYERS: TinyLayer[] = [
  { name: 'input_1', class_name: 'InputLayer', config: { batch_input_shape: [null, 32, 32, 3], dtype: 'float32', name: 'input_1' }, inputs: [] },
  zeroPad('pad1', 'input_1', 1),
  conv('conv1', 'pad1', 4, 3, 2, 'valid'),
  batchNorm('bn1', 'conv1'),
  relu('relu1', 'bn1'),
  zeroPad('pad2', 'relu1', 1),
  { name: 'pool1', class_name: 'MaxPooling2D', config: { name: 'pool1', pool_size: [3, 3], strides: [2, 2], padding: 'valid', data_format: 'channels_last' }, inputs: ['pad2'] },
  conv('conv2a', 'pool1', 6, 3, 2, 'same'),
  batchNorm('bn2a', 'conv2a'),
  relu('relu2a', 'bn2a'),
  conv('conv2b', 'pool1', 6, 1, 2, 'valid', 'linear', false),
  batchNorm('bn2b', 'conv2b'),
  { name: 'add1', class_name: 'Add', config: { name: 'add1' }, inputs: ['relu2a', 'bn2b'] },
  batchNorm('bn3', 'add1', false),
  relu('relu3', 'bn3'),
  conv('conv3', 'relu3', 8, 3, 2, 'same', 'relu'),
  conv('conv4', 'conv3', 10, 1, 2, 'same', 'relu'),
  { name: 'gap', class_name: 'GlobalAveragePooling2D', config: { name: 'gap', data_format: 'channels_last' }, inputs: ['conv4'] },
  { name: 'fc', class_name: 'Dense', config: { name: 'fc', units: 5, activation: 'softmax', use_bias: true }, inputs: ['gap'] },
];

/** Weight names and shapes in Keras order (kernel HWIO, bias; gamma, beta, moving mean, moving variance). */
function weightShapes(): [string, number[]][] {
  const channels = new Map<string, number>([['input_1', 3]]);
  const shapes: [string, number[]][] = [];
  for (const layer of TINY_LAYERS) {
    const c = layer.config as { filters?: number; kernel_size?: number[]; use_bias?: boolean; center?: boolean; units?: number };
    const inChannels = layer.inputs.length ? channels.get(layer.inputs[0]!)! : 3;
    let out = inChannels;
    if (layer.class_name === 'Conv2D') {
      out = c.filters!;
      shapes.push([`${layer.name}/kernel`, [...c.kernel_size!, inChannels, out]]);
      if (c.use_bias) shapes.push([`${layer.name}/bias`, [out]]);
    } else if (layer.class_name === 'BatchNormalization') {
      shapes.push([`${layer.name}/gamma`, [out]]);
      if (c.center) shapes.push([`${layer.name}/beta`, [out]]);
      shapes.push([`${layer.name}/moving_mean`, [out]], [`${layer.name}/moving_variance`, [out]]);
    } else if (layer.class_name === 'Dense') {
      out = c.units!;
      shapes.push([`${layer.name}/kernel`, [inChannels, out]], [`${layer.name}/bias`, [out]]);
    }
    channels.set(layer.name, out);
  }
  return shapes;
}

export interface TinyKerasModel {
  modelJson: unknown;
  /** Weight shard name → bytes; the shards split the weights at arbitrary byte offsets, as TF.js does. */
  shards: Map<string, Uint8Array>;
  weights: Map<string, Float32Array>;
}

export function tinyKerasModel(seed = 7): TinyKerasModel {
  const random = seeded(seed);
  const weights = new Map<string, Float32Array>();
  const manifestWeights = weightShapes().map(([name, shape]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: size }, () => (name.endsWith('moving_variance') ? 0.5 + Math.abs(random()) : random() * 0.5));
    weights.set(name, values);
    return { name, shape, dtype: 'float32' };
  });
  const all = Buffer.concat([...weights.values()].map((w) => Buffer.from(w.buffer)));
  const cuts = [0, 1001, 2600, all.length];
  const shards = new Map(cuts.slice(1).map((end, i) => [`group1-shard${i + 1}of3.bin`, new Uint8Array(all.subarray(cuts[i], end))]));
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'keras v2.2.4-tf',
    convertedBy: 'subspace tests',
    modelTopology: {
      keras_version: '2.2.4-tf',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Model',
        config: {
          name: 'tiny',
          layers: TINY_LAYERS.map((layer) => ({
            name: layer.name,
            class_name: layer.class_name,
            config: layer.config,
            inbound_nodes: layer.inputs.length ? [layer.inputs.map((input) => [input, 0, 0, {}])] : [],
          })),
          input_layers: [['input_1', 0, 0]],
          output_layers: [['fc', 0, 0]],
        },
      },
    },
    weightsManifest: [{ paths: [...shards.keys()], weights: manifestWeights }],
  };
  return { modelJson, shards, weights };
}
