/**
 * `npx tsx bench/passages.ts [--fresh]`: how well notes and photos find each other through passages. Indexes the
 * 125 full-size Flickr 8k test photos (../shared, never copied) and the hand-written notes in
 * `bench/passages/notes/` (twelve journal entries that each describe a few of those photos among other text,
 * and five notes about nothing in them) with the embedded model, through the real Library and Indexer, then
 * reports:
 * - photo → note top-1 and top-3: for each described photo, is the note describing it first (in the first three)
 *   of `photos.notes`;
 * - note → photo recall@10: the share of a journal note's photos among the first ten of `notes.photos`;
 * - false "likely match" labels: suggestions among the first five that the photo page labels likely (`NoteHit.likely`:
 *   the similarity clears the model's threshold and photo and passage stand out for each other, see
 *   search/relevance.ts) that name an unrelated note, or a journal note not describing the photo; beside them, the
 *   same counts under the threshold alone (the rule before); and how many described photos get their own note
 *   labelled so.
 * The photos' library is kept in the temp folder between runs (only the notes are indexed again); --fresh starts over.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Indexer } from '../src/main/indexing/indexer.ts';
import { Library } from '../src/main/library/library.ts';
import { backboneCandidates, loadBackboneSpec } from '../src/main/model/backbone.ts';
import { embeddedModelDir, loadTextEmbedder } from '../src/main/model/embedder.ts';
import { sharedDir } from '../src/main/paths.ts';
import { scoreOf } from '../src/main/search/calibration.ts';
import { searchContext } from '../src/main/search/context.ts';
import { notesForPhoto } from '../src/main/search/note-search.ts';
import { photosForNote } from '../src/main/search/photo-search.ts';
import { DESCRIBED } from './passages/described.ts';
import { percentile } from './stats.ts';

/** What PhotoView shows: it asks for 8 suggestions and keeps 5. */
const UI = { asked: 8, shown: 5 };

const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false } } });
const photosDir = join(sharedDir(), 'datasets', 'flickr8k-test-fullres');
const notesSource = join(import.meta.dirname, 'passages', 'notes');
const backboneFound = backboneCandidates(loadBackboneSpec('mobilenetv2-12-int8')).some((path) => existsSync(path));
if (!existsSync(photosDir) || !backboneFound) {
  console.log(`bench/passages needs ${photosDir} (the 125 full-size Flickr 8k test photos) and the embedded model's backbone; skipped.`);
  process.exit(0);
}

const work = join(tmpdir(), 'subspace-bench-passages');
if (values.fresh) rmSync(work, { recursive: true, force: true });
const notesDir = join(work, `notes-${Date.now()}`);
mkdirSync(notesDir, { recursive: true });
for (const file of readdirSync(notesSource)) writeFileSync(join(notesDir, file), readFileSync(join(notesSource, file)));

const embedder = await loadTextEmbedder({ threads: 2 });
const library = await Library.open({ dir: join(work, 'library'), model: { id: embedder.modelId, dim: embedder.dim } });
const indexer = new Indexer({ library, embedder: { modelDir: embeddedModelDir() }, watch: false });
for (const root of await library.roots.list('notes')) await indexer.removeRoot('notes', root.path);
await library.purgeMissing(0);
for (const old of readdirSync(work).filter((name) => name.startsWith('notes-') && join(work, name) !== notesDir)) rmSync(join(work, old), { recursive: true });
if (!(await library.roots.list('photos')).some((root) => root.path === realpathSync(photosDir))) await indexer.addRoot('photos', photosDir);
const started = performance.now();
await indexer.addRoot('notes', notesDir);
await indexer.idle();
const indexSeconds = (performance.now() - started) / 1000;
await indexer.close();

const ctx = searchContext(library, embedder);
const photoIdByName = new Map((await library.photos.list({}, 0, 1000)).rows.map((row) => [basename(row.path), row.id]));
const noteIdByName = new Map((await library.notes.scanState()).map((row) => [basename(row.path), row.note_id]));
const noteNameById = new Map([...noteIdByName].map(([name, id]) => [id, name]));
const describedBy = new Map(Object.entries(DESCRIBED).flatMap(([note, photos]) => photos.map((photo) => [photo, note] as const)));
const chunkCount = await library.notes.table.countRows("status = 'ok'");

const photoToNotesMs: number[] = [];
const noteToPhotosMs: number[] = [];
let top1 = 0;
let top3 = 0;
const misses: string[] = [];
let unrelatedLikely = 0;
let wrongJournalLikely = 0;
/** The calibration's own suggestion threshold (the cosine at which few non-matching pairs score), for comparison. */
const suggestScore = ctx.calibration ? scoreOf(ctx.calibration.suggestThreshold, ctx.calibration) : 1;
let rightLikely = 0;
const unrelatedNotes = new Set<string>();
const byThreshold = { unrelated: 0, wrongJournal: 0, right: 0 };
for (const [photo, photoId] of photoIdByName) {
  const asked = performance.now();
  const { items } = await notesForPhoto(ctx, photoId, { limit: UI.asked });
  photoToNotesMs.push(performance.now() - asked);
  const shown = items.slice(0, UI.shown);
  for (const hit of shown.filter((hit) => hit.score >= suggestScore)) {
    const note = noteNameById.get(hit.note.note_id)!;
    byThreshold[!(note in DESCRIBED) ? 'unrelated' : describedBy.get(photo) !== note ? 'wrongJournal' : 'right']++;
  }
  for (const hit of shown.filter((hit) => hit.likely)) {
    const note = noteNameById.get(hit.note.note_id)!;
    if (!(note in DESCRIBED)) {
      unrelatedLikely++;
      unrelatedNotes.add(note);
    } else if (describedBy.get(photo) !== note) {
      wrongJournalLikely++;
    } else {
      rightLikely++;
    }
  }
  const expected = describedBy.get(photo);
  if (!expected) continue;
  const rank = items.findIndex((hit) => noteNameById.get(hit.note.note_id) === expected);
  if (rank === 0) top1++;
  if (rank >= 0 && rank < 3) top3++;
  else misses.push(`${photo} (${expected}): ${items.slice(0, 3).map((hit) => noteNameById.get(hit.note.note_id)).join(', ')}`);
}

let found = 0;
let recallSum = 0;
for (const [note, photos] of Object.entries(DESCRIBED)) {
  const asked = performance.now();
  const { items } = await photosForNote(ctx, noteIdByName.get(note)!, { limit: 10 });
  noteToPhotosMs.push(performance.now() - asked);
  const names = new Set(items.map((hit) => basename(hit.photo.path)));
  const hits = photos.filter((photo) => names.has(photo)).length;
  found += hits;
  recallSum += hits / photos.length;
}

const described = describedBy.size;
const journal = Object.keys(DESCRIBED).length;
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)} %`;
console.log(`notes: ${noteIdByName.size} (${journal} journal, ${noteIdByName.size - journal} unrelated) in ${chunkCount} passages, indexed in ${indexSeconds.toFixed(1)} s`);
console.log(`photo → note: top-1 ${top1}/${described} (${pct(top1, described)}), top-3 ${top3}/${described} (${pct(top3, described)})`);
console.log(`note → photo: recall@10 ${found}/${described} photos (${pct(found, described)}), mean per note ${(recallSum / journal).toFixed(3)}`);
console.log(
  `"likely match" among the first ${UI.shown} over all ${photoIdByName.size} photos: ${unrelatedLikely} for an unrelated note` +
    `${unrelatedNotes.size > 0 ? ` (${[...unrelatedNotes].join(', ')})` : ''}, ${wrongJournalLikely} for a journal note about other photos, ` +
    `${rightLikely} of ${described} described photos with their own note`,
);
console.log(
  `  under the threshold alone (calibrated score ≥ ${suggestScore.toFixed(2)}, cosine ${ctx.calibration?.suggestThreshold.toFixed(3)}): ` +
    `${byThreshold.unrelated} unrelated, ${byThreshold.wrongJournal} other journal notes, ${byThreshold.right} of ${described} own notes`,
);
console.log(
  `time per call (p50): photo → notes ${percentile(photoToNotesMs, 0.5).toFixed(1)} ms, note → photos ${percentile(noteToPhotosMs, 0.5).toFixed(1)} ms (${chunkCount} passages, ${photoIdByName.size} photos)`,
);
if (misses.length > 0) console.log(`described photos whose note is not in the first three:\n  ${misses.join('\n  ')}`);
await embedder.close();
library.close();
