/**
 * Indexes a photo folder into a library and prints progress, one JSON line per committed batch. The crash
 * test runs it as a child process and kills it with SIGKILL part-way.
 * Usage: tsx index-child.ts <libraryDir> <photosDir> <modelDir> <modelId> <dim>
 */
import { Library } from '../../library/library.ts';
import { Indexer } from '../indexer.ts';

const [libraryDir, photos, modelDir, modelId, dim] = process.argv.slice(2);
if (!libraryDir || !photos || !modelDir || !modelId || !dim) throw new Error('usage: index-child.ts <libraryDir> <photosDir> <modelDir> <modelId> <dim>');

const library = await Library.open({ dir: libraryDir, model: { id: modelId, dim: Number(dim) } });
const indexer = new Indexer({ library, embedder: { modelDir, providers: ['cpu'] }, photoBatchSize: 2, watch: false });
indexer.subscribe((progress) => process.stdout.write(`${JSON.stringify({ done: progress.done, total: progress.total, phase: progress.phase })}\n`));
if ((await library.roots.list('photos')).length === 0) await indexer.addRoot('photos', photos);
await indexer.start();
await indexer.idle();
await indexer.close();
library.close();
