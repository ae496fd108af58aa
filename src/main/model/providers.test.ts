import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createSession, defaultProviderOrder, fallbackReason, hasNvidiaGpu, loaderMessage, type CreateSession } from './providers.ts';
import { encodeModel, FLOAT, valueInfo } from './onnx-builder.ts';

const identity = encodeModel({
  name: 'identity',
  node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
  input: [valueInfo('x', FLOAT, [1])],
  output: [valueInfo('y', FLOAT, [1])],
});

/** One intra-op thread, spinning as ONNX Runtime does by default. */
const ONE = { intraOp: 1, spinWait: true };

/** What onnxruntime-node 1.30 throws, word for word, for each way a provider fails (the CUDA device error as CUDA 12 builds word it). */
const ORT_ERRORS = {
  cudaLibraryMissing: 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library',
  cudaNoDevice:
    '/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_call.cc:129 std::conditional_t<THRW, void, onnxruntime::common::Status> onnxruntime::CudaCall(ERRTYPE, const char*, const char*, SUCCTYPE, const char*, const char*, int) [with ERRTYPE = cudaError; bool THRW = true; SUCCTYPE = cudaError; std::conditional_t<THRW, void, onnxruntime::common::Status> = void] CUDA failure 100: no CUDA-capable device is detected ; GPU=0 ; hostname=box ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_execution_provider.cc ; line=282 ; expr=cudaSetDevice(info_.device_id);',
  dmlNotBuilt: 'no available backend found. ERR: [dml] backend not found.',
  webgpuNoAdapter:
    '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters',
};

/**
 * Stands in for the runtime where a provider is not on this machine: a provider named in `failures` throws that
 * message; any other gets a real CPU session, as if it had loaded. Records the options of every attempt.
 */
function runtime(failures: Partial<Record<string, string>>): { create: CreateSession; attempts: ort.InferenceSession.SessionOptions[] } {
  const attempts: ort.InferenceSession.SessionOptions[] = [];
  const create: CreateSession = async (model, options) => {
    attempts.push(options);
    const name = String(options.executionProviders?.[0]);
    const failure = failures[name];
    if (failure !== undefined) throw new Error(failure);
    return ort.InferenceSession.create(model as Uint8Array, { ...options, executionProviders: ['cpu'] });
  };
  return { create, attempts };
}

describe('defaultProviderOrder', () => {
  it('tries what each platform’s onnxruntime-node build can carry, CPU last', () => {
    expect(defaultProviderOrder('linux', 'x64')).toEqual(['cuda', 'cpu']);
    expect(defaultProviderOrder('linux', 'arm64')).toEqual(['cpu']);
    expect(defaultProviderOrder('win32', 'x64')).toEqual(['dml', 'cpu']);
    expect(defaultProviderOrder('win32', 'arm64')).toEqual(['dml', 'cpu']);
    expect(defaultProviderOrder('darwin', 'arm64')).toEqual(['coreml', 'cpu']);
    expect(defaultProviderOrder('darwin', 'x64')).toEqual(['coreml', 'cpu']);
    expect(defaultProviderOrder('freebsd', 'x64')).toEqual(['cpu']);
  });
});

describe('createSession', () => {
  it('runs on CUDA when it loads, with nothing to report', async () => {
    const { create, attempts } = runtime({});
    const { session, provider } = await createSession(identity, ['cuda', 'cpu'], { intraOp: 3, spinWait: true }, create);
    expect(provider).toEqual({ name: 'cuda', fallbacks: [] });
    expect(session.outputNames).toEqual(['y']);
    expect(attempts).toEqual([{ executionProviders: ['cuda'], intraOpNumThreads: 3, interOpNumThreads: 1, graphOptimizationLevel: 'all' }]);
  });

  it('without an NVIDIA GPU, says so in words: the loader’s message is only the detail', async () => {
    const { create, attempts } = runtime({ cuda: ORT_ERRORS.cudaLibraryMissing });
    const { provider } = await createSession(identity, ['cuda', 'cpu'], ONE, create, () => false);
    expect(attempts.map((a) => a.executionProviders)).toEqual([['cuda'], ['cpu']]);
    expect(provider).toEqual({
      name: 'cpu',
      fallbacks: [{ name: 'cuda', reason: 'No NVIDIA GPU found: using the CPU', detail: ORT_ERRORS.cudaLibraryMissing }],
    });
  });

  it('with an NVIDIA GPU whose CUDA libraries are missing, says what to install', async () => {
    const { create } = runtime({ cuda: ORT_ERRORS.cudaLibraryMissing });
    const { provider } = await createSession(identity, ['cuda', 'cpu'], ONE, create, () => true);
    expect(provider.fallbacks[0]!.reason).toMatch(/^The NVIDIA GPU is not used because the CUDA 12 and cuDNN 9 libraries are not installed/);
    expect(provider.fallbacks[0]!.reason).toContain('ONNXRUNTIME_NODE_INSTALL_CUDA=v12 npm install');
    expect(provider.fallbacks[0]!.reason).toMatch(/: using the CPU$/);
    expect(provider.fallbacks[0]!.detail).toBe(ORT_ERRORS.cudaLibraryMissing);
  });

  it('when CUDA loads but finds no device, says no GPU was found, with the CUDA error as the detail', async () => {
    const { create } = runtime({ cuda: ORT_ERRORS.cudaNoDevice });
    const { provider } = await createSession(identity, ['cuda', 'cpu'], ONE, create, () => true);
    expect(provider.fallbacks).toEqual([{ name: 'cuda', reason: 'No NVIDIA GPU found: using the CPU', detail: expect.stringContaining('CUDA failure 100') }]);
    expect(provider.fallbacks[0]!.detail).not.toContain('cuda_call.cc:129');
  });

  it('tries every provider in order, keeps each reason, and adds the CPU when the order leaves it out', async () => {
    const { create, attempts } = runtime({ cuda: ORT_ERRORS.cudaLibraryMissing, dml: ORT_ERRORS.dmlNotBuilt });
    const { provider } = await createSession(identity, ['cuda', 'dml'], ONE, create, () => false);
    expect(attempts.map((a) => a.executionProviders)).toEqual([['cuda'], ['dml'], ['cpu']]);
    expect(provider.name).toBe('cpu');
    expect(provider.fallbacks.map((f) => f.name)).toEqual(['cuda', 'dml']);
    expect(provider.fallbacks[1]!.reason).toBe(`This build of ONNX Runtime has no DirectML support on ${process.platform}/${process.arch}: using the CPU`);
    expect(provider.fallbacks[1]!.detail).toBe(ORT_ERRORS.dmlNotBuilt);
  });

  it('asks idle threads to sleep rather than spin where the caller says so, and the runtime takes the setting', async () => {
    const { create, attempts } = runtime({});
    await createSession(identity, ['cpu'], { intraOp: 2, spinWait: false }, create);
    expect(attempts).toEqual([
      { executionProviders: ['cpu'], intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: '0' } } } },
    ]);
    const { session } = await createSession(identity, ['cpu'], { intraOp: 2, spinWait: false });
    const input = new ort.Tensor('float32', Float32Array.from([3]), [1]);
    expect(Array.from((await session.run({ x: input })).y!.data as Float32Array)).toEqual([3]);
  });

  it('fails with the CPU’s own reason when even the CPU cannot run the model', async () => {
    const { create } = runtime({ cpu: 'Load model from memory failed: Protobuf parsing failed.' });
    await expect(createSession(identity, ['cpu'], ONE, create)).rejects.toThrow(
      'Cannot create an ONNX session on the CPU: Load model from memory failed: Protobuf parsing failed.',
    );
  });

  it('falls back for real on this machine: CUDA is used where it loads, else the CPU with the reason', async () => {
    const { session, provider } = await createSession(identity, ['cuda', 'cpu'], ONE);
    expect(session.outputNames).toEqual(['y']);
    if (provider.name === 'cpu') {
      expect(provider.fallbacks.map((f) => f.name)).toEqual(['cuda']);
      expect(provider.fallbacks[0]!.reason).toMatch(/: using the CPU$/);
      if (!hasNvidiaGpu()) expect(provider.fallbacks[0]!.reason).toBe('No NVIDIA GPU found: using the CPU');
      expect(provider.fallbacks[0]!.detail.length).toBeGreaterThan(10);
    } else {
      expect(provider).toEqual({ name: 'cuda', fallbacks: [] });
    }
  });
});

describe('fallbackReason', () => {
  it('words other CUDA errors with the error alone, and a provider that fails otherwise by its name', () => {
    expect(fallbackReason('cuda', new Error(ORT_ERRORS.cudaNoDevice.replace('failure 100: no CUDA-capable device is detected', 'failure 35: CUDA driver version is insufficient for CUDA runtime version')), true)).toBe(
      'The NVIDIA GPU could not be used (CUDA error 35: CUDA driver version is insufficient for CUDA runtime version)',
    );
    expect(fallbackReason('coreml', new Error('first line\nsecond line'))).toBe('Core ML could not be started');
  });

  it('keeps the loader’s first line without its source location as the detail', () => {
    expect(loaderMessage(new Error(ORT_ERRORS.webgpuNoAdapter))).toBe(
      'adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters',
    );
    expect(loaderMessage(new Error('first line\nsecond line'))).toBe('first line');
    expect(loaderMessage('a string')).toBe('a string');
  });
});
