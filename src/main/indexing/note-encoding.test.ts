import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeNote, encodeNote, UnrepresentableTextError } from './note-encoding.ts';

const utf16 = (text: string, encoding: 'utf-16le' | 'utf-16be') => iconv.encode(text, encoding, { addBOM: false });

describe('decodeNote / encodeNote', () => {
  const files: [string, Buffer, string, string][] = [
    ['UTF-8', Buffer.from('Café ☕ 😀\r\nsecond line', 'utf8'), 'utf-8', 'Café ☕ 😀\r\nsecond line'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Été\n', 'utf8')]), 'utf-8-bom', '# Été\n'],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16('# Notes 😀\r\nçà', 'utf-16le')]), 'utf-16le-bom', '# Notes 😀\r\nçà'],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16('Grüße', 'utf-16be')]), 'utf-16be-bom', 'Grüße'],
    ['Latin-1, two bytes', Buffer.from([0x66, 0xe9]), 'windows-1252', 'fé'],
    ['Windows-1252 quotes and euro', iconv.encode('“Zürich” costs €5 — noted.', 'windows-1252'), 'windows-1252', '“Zürich” costs €5 — noted.'],
    ['Latin-1 with a byte Windows-1252 leaves undefined', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x81]), 'iso-8859-1', 'café\u0081'],
    ['Cyrillic (Windows-1251)', iconv.encode('Привет, как дела? Сегодня хорошая погода.', 'windows-1251'), 'windows-1251', 'Привет, как дела? Сегодня хорошая погода.'],
    ['Shift_JIS', iconv.encode('今日は良い天気です。散歩に行きました。', 'shift_jis'), 'shift_jis', '今日は良い天気です。散歩に行きました。'],
    ['a UTF-16 BOM that the rest does not follow', Buffer.from([0xff, 0xfe, 0x41]), 'windows-1252', 'ÿþA'],
  ];

  it.each(files)('reads %s and writes back the identical bytes', (_, bytes, encoding, text) => {
    const decoded = decodeNote(bytes);
    expect(decoded).toEqual({ text, encoding });
    if ('error' in decoded) return;
    expect(encodeNote(decoded.text, decoded.encoding).equals(bytes)).toBe(true);
  });

  it('keeps short Latin-1 notes in Windows-1252 rather than a far-fetched guess', () => {
    for (const word of ['Noël', 'año', 'Björk', 'Ça va? Très bien, merci.']) {
      expect(decodeNote(iconv.encode(word, 'windows-1252'))).toEqual({ text: word, encoding: 'windows-1252' });
    }
  });

  it('refuses files with NUL characters as binary, UTF-16 with a BOM included', () => {
    expect(decodeNote(Buffer.from([0x23, 0x20, 0x00, 0x01]))).toEqual({ error: expect.stringContaining('binary') });
    expect(decodeNote(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16('a\0b', 'utf-16le')]))).toEqual({ error: expect.stringContaining('binary') });
  });

  it('refuses to write what the encoding cannot hold, naming the character and its line', () => {
    expect(() => encodeNote('Łódź\nis in Poland, not ł', 'windows-1252')).toThrow(UnrepresentableTextError);
    expect(() => encodeNote('fine\nŁódź', 'windows-1252')).toThrow('Windows-1252, which cannot hold “Ł” (U+0141) on line 2');
    expect(() => encodeNote('emoji 😀', 'iso-8859-1')).toThrow('“😀” (U+1F600) on line 1');
    expect(() => encodeNote('lone \ud800 surrogate', 'utf-8')).toThrow('U+D800 on line 1');
    expect(encodeNote('now with ł and 😀', 'utf-8-bom')).toEqual(Buffer.from('\ufeffnow with ł and 😀', 'utf8'));
  });
});
