import { existsSync, readdirSync } from 'node:fs';
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

/** How a provider is called in a sentence. */
const LABELS: Record<ExecutionProviderName, string> = { cuda: 'the NVIDIA GPU (CUDA)', dml: 'DirectML', coreml: 'Core ML', cpu: 'the CPU' };

/** Whether this machine has an NVIDIA GPU with its driver loaded (Linux: the driver's /proc entry or device node). */
export function hasNvidiaGpu(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    if (readdirSync('/proc/driver/nvidia/gpus').length > 0) return true;
  } catch {
    // No driver entry: look for the device node, which some containers expose without /proc/driver.
  }
  return existsSync('/dev/nvidia0');
}

/** The runtime's message, first line, without the source location it starts with: shown as the details. */
export function loaderMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim().replace(/^\S+\.(cc|cpp|h):\d+ /, '');
}

/**
 * Why a provider was not used, in words a person can act on. The runtime's message for a provider whose shared
 * library is absent names a C function; one for a provider this build lacks talks of backends; a CUDA error
 * comes wrapped in the C++ signature and the device's details. Those stay in `loaderMessage`.
 */
export function fallbackReason(name: ExecutionProviderName, error: unknown, nvidiaGpu: boolean = hasNvidiaGpu()): string {
  const message = loaderMessage(error);
  const cuda = /\b(CUDA|CUDNN|CUBLAS) failure (\d+): ([^;]+)/i.exec(message);
  if (name === 'cuda') {
    if (cuda?.[2] === '100' || (!nvidiaGpu && /failed to load (shared )?library/i.test(message))) return 'No NVIDIA GPU found';
    if (/failed to load (shared )?library/i.test(message)) {
      return 'The NVIDIA GPU is not used because the CUDA 12 and cuDNN 9 libraries are not installed (run `ONNXRUNTIME_NODE_INSTALL_CUDA=v12 npm install`)';
    }
    if (cuda) return `The NVIDIA GPU could not be used (${cuda[1]!.toUpperCase()} error ${cuda[2]}: ${cuda[3]!.trim()})`;
  }
  if (/backend not found/i.test(message)) return `This build of ONNX Runtime has no ${LABELS[name]} support on ${process.platform}/${process.arch}`;
  return `${capitalize(LABELS[name])} could not be started`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How a session is made: onnxruntime-node's own, unless a test stands in for the runtime. */
export type CreateSession = (model: string | Uint8Array, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;

const ortSession: CreateSession = (model, options) =>
  typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);

/**
 * A session's intra-op threads. `spinWait`: idle threads spin rather than sleep between ops, ONNX Runtime's
 * default, which suits a stream of batches (indexing); a query session runs one short text now and then, and
 * spinning there burned ~28 ms of CPU per 4 ms query on two threads, taken from the page and the store.
 */
export interface SessionThreads {
  intraOp: number;
  spinWait: boolean;
}

/**
 * Creates a session on the first provider that loads. onnxruntime-node throws (rather than falling back)
 * when a provider's libraries are missing, so each provider gets its own attempt and the reason is kept.
 */
export async function createSession(
  model: string | Uint8Array,
  order: readonly ExecutionProviderName[],
  threads: SessionThreads,
  create: CreateSession = ortSession,
  nvidiaGpu: () => boolean = hasNvidiaGpu,
): Promise<{ session: ort.InferenceSession; provider: ProviderInfo }> {
  const failed: { name: ExecutionProviderName; error: unknown }[] = [];
  const candidates = order.includes('cpu') ? order : [...order, 'cpu' as const];
  for (const name of candidates) {
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: [ORT_NAMES[name]],
      intraOpNumThreads: threads.intraOp,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      ...(threads.spinWait ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
    };
    try {
      const session = await create(model, options);
      const fallbacks = failed.map((f) => ({
        name: f.name,
        reason: `${fallbackReason(f.name, f.error, f.name === 'cuda' && nvidiaGpu())}: using ${LABELS[name]}`,
        detail: loaderMessage(f.error),
      }));
      return { session, provider: { name, fallbacks } };
    } catch (error) {
      if (name === 'cpu') throw new Error(`Cannot create an ONNX session on the CPU: ${loaderMessage(error)}`);
      failed.push({ name, error });
    }
  }
  throw new Error('unreachable: CPU is always tried');
}
