/**
 * A note file's bytes ↔ its text. Reading detects the encoding; writing uses the same one, so opening and
 * saving a note unchanged gives back its exact bytes. An encoding is only ever accepted when decoding and
 * encoding again reproduces every byte, which is what guarantees that a save never turns a valid byte into
 * U+FFFD or `?`.
 */
import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import type { NoteEncoding } from '../../shared/dto.ts';

export type DecodedNote = { text: string; encoding: NoteEncoding } | { error: string };

const BOMS: { encoding: NoteEncoding; bom: readonly number[] }[] = [
  { encoding: 'utf-8-bom', bom: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le-bom', bom: [0xff, 0xfe] },
  { encoding: 'utf-16be-bom', bom: [0xfe, 0xff] },
];

/** iconv-lite's name for the bytes after the BOM. */
const CODEC: Record<NoteEncoding, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le-bom': 'utf-16le',
  'utf-16be-bom': 'utf-16be',
  'windows-1252': 'windows-1252',
  'iso-8859-1': 'iso-8859-1',
  'iso-8859-2': 'iso-8859-2',
  'iso-8859-5': 'iso-8859-5',
  'iso-8859-6': 'iso-8859-6',
  'iso-8859-7': 'iso-8859-7',
  'iso-8859-8': 'iso-8859-8',
  'iso-8859-9': 'iso-8859-9',
  'windows-1250': 'windows-1250',
  'windows-1251': 'windows-1251',
  'windows-1253': 'windows-1253',
  'windows-1254': 'windows-1254',
  'windows-1255': 'windows-1255',
  'windows-1256': 'windows-1256',
  'windows-1257': 'windows-1257',
  'windows-1258': 'windows-1258',
  'koi8-r': 'koi8-r',
  shift_jis: 'shift_jis',
  'euc-jp': 'euc-jp',
  'euc-kr': 'euc-kr',
  gb18030: 'gb18030',
  big5: 'big5',
};

/** Names chardet gives to encodings that Windows-1252 covers (ISO-8859-1 without the C1 controls). */
const WESTERN = new Set(['iso-8859-1', 'windows-1252']);
/**
 * Below this, chardet's guess is noise: a short Latin-1 note ("Noël") gets Shift_JIS or Big5 at 10. A
 * wrong guess costs only how the text looks, never its bytes (they round-trip whatever the guess).
 */
const MIN_CONFIDENCE = 30;
/** chardet reads this much of a file: enough to tell, without scanning a 5 MiB note several times. */
const DETECTION_SAMPLE = 64 * 1024;

/**
 * Text and encoding of a note file: UTF-8 (with or without BOM), UTF-16 with a BOM, else the legacy
 * encoding chardet finds most likely, else Windows-1252 or, for the five bytes it leaves undefined,
 * ISO-8859-1 (which maps every byte). Files with NUL characters are refused as binary.
 */
export function decodeNote(bytes: Buffer): DecodedNote {
  const marked = BOMS.find(({ bom }) => bom.every((byte, i) => bytes[i] === byte));
  const text = marked ? decodeExactly(bytes, marked.encoding) : null;
  if (marked && text !== null) return text.includes('\0') ? binary : { text, encoding: marked.encoding };
  // A byte order mark that the rest does not follow is two or three ordinary characters ("ÿþ", "ï»¿").
  if (bytes.includes(0)) return binary;
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), encoding: 'utf-8' };
  for (const encoding of legacyCandidates(bytes)) {
    const text = decodeExactly(bytes, encoding);
    if (text !== null) return { text, encoding };
  }
  return { text: decodeExactly(bytes, 'iso-8859-1')!, encoding: 'iso-8859-1' };
}

const binary = { error: 'Not a text file (it contains binary data)' };

function legacyCandidates(bytes: Buffer): NoteEncoding[] {
  const guesses = chardet
    .analyse(bytes.subarray(0, DETECTION_SAMPLE))
    .filter((match) => match.confidence >= MIN_CONFIDENCE)
    .map((match) => match.name.toLowerCase())
    .filter((name): name is NoteEncoding => name in CODEC && !name.startsWith('utf'));
  const first = guesses[0];
  const western: NoteEncoding[] = ['windows-1252', 'iso-8859-1'];
  return first && !WESTERN.has(first) ? [first, ...western] : western;
}

/** The text, or null when these bytes are not exactly what the encoding would write for it. */
function decodeExactly(bytes: Buffer, encoding: NoteEncoding): string | null {
  const bom = BOMS.find((candidate) => candidate.encoding === encoding)?.bom.length ?? 0;
  const body = bytes.subarray(bom);
  const text = iconv.decode(body, CODEC[encoding], { stripBOM: false });
  return iconv.encode(text, CODEC[encoding], { addBOM: false }).equals(body) ? text : null;
}

export class UnrepresentableTextError extends Error {}

/**
 * The bytes of `text` in `encoding`, BOM included. Throws UnrepresentableTextError, naming the first
 * character and its line, when the encoding has no bytes for it (rather than writing `?` or U+FFFD).
 */
export function encodeNote(text: string, encoding: NoteEncoding): Buffer {
  const problem = firstUnrepresentable(text, encoding);
  if (problem !== null) {
    const char = String.fromCodePoint(text.codePointAt(problem)!);
    const line = text.slice(0, problem).split('\n').length;
    const code = `U+${text.codePointAt(problem)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const shown = /\p{L}|\p{N}|\p{P}|\p{S}/u.test(char) ? `“${char}” (${code})` : code;
    throw new UnrepresentableTextError(`The note is stored as ${label(encoding)}, which cannot hold ${shown} on line ${line}.`);
  }
  const bom = BOMS.find((candidate) => candidate.encoding === encoding)?.bom ?? [];
  return Buffer.concat([Buffer.from(bom), iconv.encode(text, CODEC[encoding], { addBOM: false })]);
}

/**
 * Index of the first character the encoding cannot write, or null: one that does not come back from its
 * own bytes (iconv-lite writes `?` for those, and UTF-8 writes U+FFFD for a lone surrogate).
 */
function firstUnrepresentable(text: string, encoding: NoteEncoding): number | null {
  if (roundTrips(text, encoding)) return null;
  let index = 0;
  for (const char of text) {
    if (!roundTrips(char, encoding)) return index;
    index += char.length;
  }
  return null;
}

function roundTrips(text: string, encoding: NoteEncoding): boolean {
  return iconv.decode(iconv.encode(text, CODEC[encoding], { addBOM: false }), CODEC[encoding], { stripBOM: false }) === text;
}

export function label(encoding: NoteEncoding): string {
  switch (encoding) {
    case 'utf-8':
      return 'UTF-8';
    case 'utf-8-bom':
      return 'UTF-8 with a byte order mark';
    case 'utf-16le-bom':
      return 'UTF-16 (little-endian)';
    case 'utf-16be-bom':
      return 'UTF-16 (big-endian)';
    case 'shift_jis':
      return 'Shift_JIS';
    case 'big5':
      return 'Big5';
    default:
      return encoding.startsWith('windows-') ? `Windows-${encoding.slice(8)}` : encoding.toUpperCase();
  }
}
