// Runs an ONNX model with onnxruntime-node on .npy inputs and writes .npy outputs (export checks).
// Usage: node training/run_onnx.mjs model.onnx outDir name1=in1.npy [name2=in2.npy ...]
// Supports little-endian float32 and int64 arrays; outputs are written as <outDir>/<output name>.npy.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';

const DTYPES = { '<f4': ['float32', Float32Array], '<i8': ['int64', BigInt64Array] };

function readNpy(path) {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!DTYPES[descr] || /'fortran_order':\s*True/.test(header)) throw new Error(`${path}: unsupported ${header}`);
  const [type, Ctor] = DTYPES[descr];
  const body = buf.subarray(10 + headerLen);
  const data = new Ctor(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  return new ort.Tensor(type, data, shape);
}

function writeNpy(path, tensor) {
  if (tensor.type !== 'float32') throw new Error(`output type ${tensor.type} not supported`);
  const shape = tensor.dims.join(', ') + (tensor.dims.length === 1 ? ',' : '');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(tensor.data.buffer)]));
}

const [model, outDir, ...pairs] = process.argv.slice(2);
const feeds = Object.fromEntries(pairs.map((p) => { const [name, file] = p.split('='); return [name, readNpy(file)]; }));
const session = await ort.InferenceSession.create(model);
const results = await session.run(feeds);
for (const [name, tensor] of Object.entries(results)) writeNpy(join(outDir, `${name}.npy`), tensor);
