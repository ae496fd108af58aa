import { describe, expect, it } from 'vitest';
import { baseName, formatBytes, formatEta, formatRate } from './format.ts';

describe('format', () => {
  it('renders sizes with a unit that keeps the number short', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
  });

  it('gives an ETA only once the time left is known', () => {
    expect(formatEta(null)).toBeNull();
    expect(formatEta(Infinity)).toBeNull();
    expect(formatEta(0)).toBeNull();
    expect(formatEta(10)).toBe('less than a minute left');
    expect(formatEta(180)).toBe('about 3 min left');
    expect(formatEta(9000)).toBe('about 2 h 30 min left');
  });

  it('renders a rate and a file name from either separator', () => {
    expect(formatRate(42.4, 'photos')).toBe('42 photos/s');
    expect(formatRate(2.25, 'photos')).toBe('2.3 photos/s');
    expect(baseName('/home/me/Pictures/')).toBe('Pictures');
    expect(baseName('C:\\Users\\me\\a.jpg')).toBe('a.jpg');
  });
});
