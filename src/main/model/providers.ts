import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName, ProviderInfo } from './embedder-types.ts';

// A provider whose libraries are missing logs an error through the runtime's global logger before the session
// throws; the reason is recorded in ProviderInfo instead, so only fatal messages reach the console.
ort.env.logLevel = 'fatal';

const ORT_NAMES: Record<ExecutionProviderName, string> = { cuda: 'cuda', dml: 'dml', coreml: 'coreml', cpu: 'cpu' };

/**
 * The providers worth trying on this platform, best first; CPU always comes last. What onnxruntime-node's builds
 * carry: CUDA only on Linux x64 (its libraries installed on request), DirectML on Windows, CoreML on macOS.
 */
export function defaultProviderOrder(platform: NodeJS.Platform = process.platform, arch: string = process.arch): ExecutionProviderName[] {
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  if (platform === 'linux' && arch === 'x64') return ['cuda', 'cpu'];
  return ['cpu'];
}

const MISSING_LIBRARIES: Partial<Record<ExecutionProviderName, string>> = {
  cuda:
    'its libraries, or the CUDA 12 and cuDNN 9 libraries they load, are not installed (run `ONNXRUNTIME_NODE_INSTALL_CUDA=v12 npm install`; it needs an NVIDIA GPU and driver for CUDA 12)',
};

/**
 * Why a provider was not used, in words. The runtime's message for a provider whose shared library is absent names
 * a C function; one for a provider this build lacks talks of backends; a CUDA error comes wrapped in the source
 * location, the C++ signature and the device's details.
 */
export function fallbackReason(name: ExecutionProviderName, error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  const cuda = /\b(CUDA|CUDNN|CUBLAS) failure \d+: [^;]+/i.exec(message);
  if (cuda) return cuda[0].trim();
  const reason = message.replace(/^\S+\.(cc|cpp|h):\d+ /, '');
  const missing = MISSING_LIBRARIES[name];
  if (missing && /failed to load (shared )?library/i.test(reason)) return `${missing}. ${reason}`;
  if (/backend not found/i.test(reason)) return `this build of ONNX Runtime does not include it on ${process.platform}/${process.arch}. ${reason}`;
  return reason;
}

/** How a session is made: onnxruntime-node's own, unless a test stands in for the runtime. */
export type CreateSession = (model: string | Uint8Array, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;

const ortSession: CreateSession = (model, options) =>
  typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);

/**
 * Creates a session on the first provider that loads. onnxruntime-node throws (rather than falling back)
 * when a provider's libraries are missing, so each provider gets its own attempt and the reason is kept.
 */
export async function createSession(
  model: string | Uint8Array,
  order: readonly ExecutionProviderName[],
  threads: number,
  create: CreateSession = ortSession,
): Promise<{ session: ort.InferenceSession; provider: ProviderInfo }> {
  const fallbacks: ProviderInfo['fallbacks'] = [];
  const candidates = order.includes('cpu') ? order : [...order, 'cpu' as const];
  for (const name of candidates) {
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: [ORT_NAMES[name]],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    try {
      return { session: await create(model, options), provider: { name, fallbacks } };
    } catch (error) {
      if (name === 'cpu') throw new Error(`Cannot create an ONNX session on the CPU: ${fallbackReason(name, error)}`);
      fallbacks.push({ name, reason: fallbackReason(name, error) });
    }
  }
  throw new Error('unreachable: CPU is always tried');
}
