import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, formatEntry, logFilePath } from './logger.ts';
import { RotatingFile } from './rotating-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'subspace-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('RotatingFile', () => {
  it('creates its folder and appends', () => {
    const file = new RotatingFile(logFilePath(dir));
    file.write('one\n');
    file.write('two\n');
    expect(readFileSync(join(dir, 'logs', 'subspace.log'), 'utf8')).toBe('one\ntwo\n');
  });

  it('rotates by size and keeps a bounded number of files, oldest dropped', () => {
    const file = new RotatingFile(join(dir, 'subspace.log'), { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 20; i++) file.write(`entry ${String(i).padStart(2, '0')} ${'x'.repeat(30)}\n`);
    const [current, first, second] = file.files();
    expect(file.files()).toHaveLength(3);
    expect(existsSync(join(dir, 'subspace.log.3'))).toBe(false);
    for (const path of [current!, first!, second!]) expect(readFileSync(path).length).toBeLessThanOrEqual(100);
    expect(readFileSync(current!, 'utf8')).toContain('entry 19');
    expect(readFileSync(first!, 'utf8')).toContain('entry 17');
    expect(readFileSync(second!, 'utf8')).toContain('entry 15');
    expect([current, first, second].map((path) => readFileSync(path!, 'utf8')).join('')).not.toContain('entry 00');
  });

  it('shares the file with another writer: sizes are read from disk, not remembered', () => {
    const path = join(dir, 'subspace.log');
    const main = new RotatingFile(path, { maxBytes: 100, keep: 1 });
    const service = new RotatingFile(path, { maxBytes: 100, keep: 1 });
    main.write(`${'m'.repeat(60)}\n`);
    service.write(`${'s'.repeat(60)}\n`);
    expect(readFileSync(path, 'utf8')).toBe(`${'s'.repeat(60)}\n`);
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'m'.repeat(60)}\n`);
  });

  it('never throws when the file cannot be written', () => {
    const file = new RotatingFile(join(dir, 'subspace.log', 'nested'));
    new RotatingFile(join(dir, 'subspace.log')).write('a file where a folder would be\n');
    expect(() => file.write('lost\n')).not.toThrow();
  });
});

describe('log entries', () => {
  it('are one timestamped line, with the source, the level and an error’s stack indented below', () => {
    const error = new Error('sharp crashed');
    const entry = formatEntry(new Date('2025-03-01T10:00:00Z'), 'service', 'error', 'photo.get failed', error);
    const [first, ...rest] = entry.trimEnd().split('\n');
    expect(first).toBe('2025-03-01T10:00:00.000Z [service] error: photo.get failed');
    expect(rest[0]).toBe('    Error: sharp crashed');
    expect(rest.every((line) => line.startsWith('    '))).toBe(true);
  });

  it('cuts an entry that is too long', () => {
    expect(formatEntry(new Date(0), 'main', 'info', 'x'.repeat(100_000)).length).toBeLessThan(17_000);
  });

  it('go where the logger writes them', () => {
    const entries: string[] = [];
    const log = createLogger((entry) => entries.push(entry), 'main', () => new Date('2025-03-01T10:00:00Z'));
    log.info('started');
    log.warn('slow', 'a reason');
    expect(entries).toEqual(['2025-03-01T10:00:00.000Z [main] info: started\n', '2025-03-01T10:00:00.000Z [main] warn: slow\n    a reason\n']);
  });
});
