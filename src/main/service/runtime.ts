/**
 * One model's working set: the library opened for that model, its indexer, and (loaded on first query) the
 * embedder that turns query text into vectors. Switching models closes one runtime and opens another.
 */
import { dirname, join, sep } from 'node:path';
import type { ModelChoice } from '../../shared/dto.ts';
import { Indexer } from '../indexing/indexer.ts';
import { openLibrary, type Library } from '../library/library.ts';
import type { TextEmbedder } from '../model/embedder-types.ts';
import { embeddedModelDir, loadTextEmbedder } from '../model/embedder.ts';
import { memoizeQueries } from '../model/query-memo.ts';
import { imageBackbones, loadManifest } from '../model/manifest.ts';
import { calibrationFor } from '../search/calibration.ts';
import { searchContext, type SearchContext } from '../search/context.ts';
import { Relevance } from '../search/relevance.ts';

export interface RuntimeOptions {
  dataDir: string;
  model: ModelChoice;
  /** Watch the roots and index changes as they happen (the app); the command line indexes only when asked. */
  watch: boolean;
  /** Open the library to read only (see ServiceOptions.readOnly). */
  readOnly: boolean;
}

export type EmbedderState = { status: 'loading' } | { status: 'ready'; embedder: TextEmbedder } | { status: 'error'; message: string };

/** The folder holding model.json for a choice. Inside a packaged app the model files are unpacked from the asar. */
export function modelDirOf(choice: ModelChoice): string {
  if (choice.kind === 'manifest') return choice.path.endsWith('.json') ? dirname(choice.path) : choice.path;
  return embeddedModelDir().replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
}

export class Runtime {
  private embedderLoad: Promise<TextEmbedder> | undefined;
  private embedderState: EmbedderState = { status: 'loading' };
  /** Good-match cutoffs, kept across queries (they hold a sample of the library). */
  readonly relevance: Relevance;

  private constructor(
    readonly library: Library,
    readonly indexer: Indexer,
    readonly modelDir: string,
    /** The frozen backbones this model needs (fetched separately). */
    readonly backboneIds: readonly string[],
  ) {
    this.relevance = new Relevance(library.photos, library.notes, calibrationFor(library.model.id));
  }

  static async open(options: RuntimeOptions): Promise<Runtime> {
    const modelDir = modelDirOf(options.model);
    const manifest = await loadManifest(modelDir);
    const library = await openLibrary({
      dir: join(options.dataDir, 'library'),
      model: { id: manifest.id, dim: manifest.embeddingDim },
      readOnly: options.readOnly,
    });
    const indexer = new Indexer({ library, embedder: { modelDir }, watch: options.watch });
    return new Runtime(library, indexer, modelDir, imageBackbones(manifest));
  }

  get embedderStatus(): EmbedderState {
    return this.embedderState;
  }

  /** The query embedder (the text side only), loaded once; a failed load is retried on the next call. */
  embedder(): Promise<TextEmbedder> {
    this.embedderLoad ??= loadTextEmbedder({ modelDir: this.modelDir, threads: 2, spinWait: false }).then(
      (tower) => {
        const embedder = memoizeQueries(tower);
        this.embedderState = { status: 'ready', embedder };
        return embedder;
      },
      (error: unknown) => {
        this.embedderLoad = undefined;
        this.embedderState = { status: 'error', message: error instanceof Error ? error.message : String(error) };
        throw error;
      },
    );
    return this.embedderLoad;
  }

  async search(): Promise<SearchContext> {
    return searchContext(this.library, await this.embedder(), this.relevance);
  }

  async close(): Promise<void> {
    await this.indexer.close();
    const embedder = this.embedderLoad ? await this.embedderLoad.catch(() => null) : null;
    await embedder?.close();
    this.library.close();
  }
}
