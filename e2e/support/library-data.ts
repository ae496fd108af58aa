/**
 * What the end-to-end test indexes: the 125 full-size Flickr 8k test photos from `../shared` when they
 * are there (with their captions, to judge search quality), else a few photos made with sharp.
 * Notes are written by the test into a temp folder; one photo folder of its own holds a corrupt file.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { skipForMissingData } from '../../src/main/model/testing/shared-data.ts';
import { sharedDir } from '../../src/main/paths.ts';
import { usesShippedModel } from './model.ts';

const photosPath = join(sharedDir(), 'datasets', 'flickr8k-test-fullres');
const captionsFile = join(sharedDir(), 'datasets', 'flickr8k', 'Flickr8k.token.txt');

/** True when the real photos and captions are present; their absence fails the run under CI=true. */
export const haveSharedData = existsSync(photosPath) && existsSync(captionsFile);
if (!haveSharedData) skipForMissingData('the search-quality checks', `${photosPath} or ${captionsFile} is absent (no ../shared beside this checkout): indexing generated photos instead.`);

/** The photo folder as the app lists it: by its real path (`../shared` may be a symbolic link). */
export const flickrPhotos = haveSharedData ? realpathSync(photosPath) : photosPath;

/** Search-quality checks need the real photos and the shipped model. */
export const checkQuality = haveSharedData && usesShippedModel;

export function captions(): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const line of readFileSync(captionsFile, 'utf8').split('\n')) {
    const [key, caption] = line.split('\t');
    if (!key || !caption) continue;
    const file = key.split('#')[0]!;
    byFile.set(file, [...(byFile.get(file) ?? []), caption.toLowerCase()]);
  }
  return byFile;
}

/** Dog photos of the test set that the notes below describe (their captions say so). */
export const dogPhotos = ['1119015538_e8e796281e.jpg', '1107246521_d16a476380.jpg', '1659358141_0433c9bf99.jpg'];
export const beachPhoto = '1408958345_68eea9a4e4.jpg';

export const notes = {
  dogs: {
    file: 'Dogs at the park.md',
    title: 'Dogs at the park',
    content: `# Dogs at the park

Saturday at the park with the dogs. The little tan dog with the big ears ran through the grass as fast
as it could, and the black dog kept jumping to catch the rope toy. By the end the brown dog was
panting hard on the grass in the sun.

- bring more tennis balls next time
- the dogs love running on the lawn
`,
  },
  beach: {
    file: 'Beach holiday.md',
    title: 'Beach holiday',
    content: `# Beach holiday

A girl smiled as she ran across the white sandy beach in her swimsuit. The kids built sand castles
near the water while the waves rolled in.
`,
  },
  mountains: {
    file: 'Climbing trip.md',
    title: 'Climbing trip',
    content: `# Climbing trip

A man in a harness climbed the rock wall with a blue rope behind him. From the summit we looked down on
the whole valley.
`,
  },
  unsafe: {
    file: 'Pasted from the web.md',
    title: 'Pasted from the web',
    content: `# Pasted from the web

Some <b>bold</b> text, an image that tries to run code: <img src="x" onerror="window.__pwned = true">

<script>window.__pwned = true</script>

[a link](javascript:window.__pwned=true)
`,
  },
} as const;

export async function writeNotes(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const note of Object.values(notes)) await writeFile(join(dir, note.file), note.content);
}

/** A folder of photos made here (used alone when ../shared is absent) plus one corrupt JPEG. */
export async function writeOwnPhotos(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `generated-${String(i).padStart(2, '0')}.jpg`;
    const hue = (i * 47) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360">
      <rect width="480" height="360" fill="hsl(${hue},55%,62%)"/>
      <circle cx="${120 + i * 23}" cy="180" r="${60 + (i % 4) * 15}" fill="hsl(${(hue + 180) % 360},60%,40%)"/>
    </svg>`;
    await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(join(dir, name));
    names.push(name);
  }
  await writeFile(join(dir, 'scan-damaged.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(512, 7)]));
  return names;
}
