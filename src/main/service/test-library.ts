/**
 * A throwaway data folder for tests of the service and its transports: a tiny CLIP-shaped model (real ONNX
 * sessions, random weights, a small CLIP tokenizer), photos made with sharp (with EXIF camera and date), one
 * corrupt file, and notes. Everything is made here: nothing from ../shared.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeSmallClipMerges } from '../model/testing/small-clip-merges.ts';
import { writeTinyClipModel } from '../model/testing/tiny-clip.ts';

export interface TestLibrary {
  root: string;
  dataDir: string;
  photosDir: string;
  notesDir: string;
  modelDir: string;
  cleanup(): Promise<void>;
}

const PHOTOS = [
  { name: 'red.jpg', color: { r: 220, g: 30, b: 30 }, make: 'Canon', model: 'Canon EOS 5D', date: '2021:07:14 10:00:00' },
  { name: 'green.jpg', color: { r: 30, g: 200, b: 40 }, make: 'NIKON', model: 'D750', date: '2022:01:02 08:30:00' },
  { name: 'blue.png', color: { r: 20, g: 40, b: 230 }, make: null, model: null, date: null },
  { name: 'sub/teal.jpg', color: { r: 20, g: 180, b: 180 }, make: 'Canon', model: 'Canon EOS 5D', date: '2021:07:15 18:00:00' },
];

export async function createTestLibrary(): Promise<TestLibrary> {
  const root = await mkdtemp(join(tmpdir(), 'subspace-test-'));
  const library: TestLibrary = {
    root,
    dataDir: join(root, 'data'),
    photosDir: join(root, 'photos'),
    notesDir: join(root, 'notes'),
    modelDir: join(root, 'model'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  for (const dir of [library.dataDir, join(library.photosDir, 'sub'), library.notesDir, library.modelDir]) await mkdir(dir, { recursive: true });
  writeTinyClipModel(library.modelDir, writeSmallClipMerges(root));
  await writeFile(join(library.dataDir, 'settings.json'), JSON.stringify({ model: { kind: 'manifest', path: library.modelDir } }));
  for (const photo of PHOTOS) {
    let image = sharp({ create: { width: 96, height: 64, channels: 3, background: photo.color } });
    if (photo.make && photo.model && photo.date) {
      image = image.withExif({ IFD0: { Make: photo.make, Model: photo.model }, IFD2: { DateTimeOriginal: photo.date } });
    }
    const path = join(library.photosDir, photo.name);
    await (photo.name.endsWith('.png') ? image.png() : image.jpeg()).toFile(path);
  }
  await writeFile(join(library.photosDir, 'corrupt.jpg'), 'this is not a JPEG');
  await writeFile(join(library.notesDir, 'trip.md'), '# Summer trip\n\nWe walked along the red cliffs at sunset.\n\n## Day two\n\nGreen hills and a blue lake.\n');
  await writeFile(join(library.notesDir, 'groceries.txt'), 'eggs, milk, bread\n');
  return library;
}
