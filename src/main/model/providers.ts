import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName, ProviderInfo } from './embedder-types.ts';

// A provider whose libraries are missing logs an error through the runtime's global logger before the session
// throws; the reason is recorded in ProviderInfo instead, so only fatal messages reach the console.
ort.env.logLevel = 'fatal';

const ORT_NAMES: Record<ExecutionProviderName, string> = { cuda: 'cuda', dml: 'dml', coreml: 'coreml', cpu: 'cpu' };

/** The providers worth trying on this platform, best first. CPU always comes last. */
export function defaultProviderOrder(platform: NodeJS.Platform = process.platform): ExecutionProviderName[] {
  if (platform === 'win32') return ['cuda', 'dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
}

const MISSING_LIBRARIES: Partial<Record<ExecutionProviderName, string>> = {
  cuda:
    'its libraries are not installed (run `ONNXRUNTIME_NODE_INSTALL_CUDA=v12 npm install`; it needs an NVIDIA GPU with CUDA 12)',
};

/** The runtime's message for a provider whose shared library is absent names a C function; say what it means. */
function explain(name: ExecutionProviderName, reason: string): string {
  const missing = MISSING_LIBRARIES[name];
  return missing && /failed to load (shared )?library/i.test(reason) ? `${missing}. ${reason}` : reason;
}

/**
 * Creates a session on the first provider that loads. onnxruntime-node throws (rather than falling back)
 * when a provider's libraries are missing, so each provider gets its own attempt and the reason is kept.
 */
export async function createSession(
  model: string | Uint8Array,
  order: readonly ExecutionProviderName[],
  threads: number,
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
      const session =
        typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
      return { session, provider: { name, fallbacks } };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      if (name === 'cpu') throw new Error(`Cannot create an ONNX session on the CPU: ${reason}`);
      fallbacks.push({ name, reason: explain(name, reason) });
    }
  }
  throw new Error('unreachable: CPU is always tried');
}
