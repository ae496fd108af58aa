import { describe, expect, it } from 'vitest';
import { createSession, defaultProviderOrder } from './providers.ts';
import { encodeModel, FLOAT, valueInfo } from './onnx-builder.ts';

const identity = encodeModel({
  name: 'identity',
  node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
  input: [valueInfo('x', FLOAT, [1])],
  output: [valueInfo('y', FLOAT, [1])],
});

describe('createSession', () => {
  it('falls back to the CPU when CUDA cannot load, and says why in words', async () => {
    const { session, provider } = await createSession(identity, ['cuda', 'cpu'], 1);
    expect(session.outputNames).toEqual(['y']);
    if (provider.name === 'cpu') {
      expect(provider.fallbacks.map((f) => f.name)).toEqual(['cuda']);
      expect(provider.fallbacks[0]!.reason.length).toBeGreaterThan(10);
    } else {
      expect(provider).toEqual({ name: 'cuda', fallbacks: [] });
    }
  });

  it('always ends the order with the CPU', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) expect(defaultProviderOrder(platform).at(-1)).toBe('cpu');
    expect(defaultProviderOrder('win32')).toEqual(['cuda', 'dml', 'cpu']);
  });
});
