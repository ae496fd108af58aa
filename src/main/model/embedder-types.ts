/** What every model looks like to the rest of the app: the embedder does not know which model it runs. */

import type { DecodedImage } from './preprocess.ts';

export type ExecutionProviderName = 'cuda' | 'dml' | 'coreml' | 'cpu';

export interface ProviderInfo {
  /** The execution provider the sessions actually run on. */
  name: ExecutionProviderName;
  /** Providers tried before it and why each was not used, in words, with the runtime's message as the detail (empty when the first choice worked). */
  fallbacks: { name: ExecutionProviderName; reason: string; detail: string }[];
}

/** A decoded, preprocessed image ready for the image tower (CHW float32, model-specific size). */
export interface PreparedImage {
  readonly tensor: Float32Array;
  /** Original pixel size (after EXIF rotation). */
  readonly width: number;
  readonly height: number;
}

/**
 * How much text the text tower reads: it takes a fixed number of tokens and drops the rest, so longer text is
 * matched by its opening words only.
 */
export interface TokenBudget {
  /** Tokens one text may hold (the tower's length less its special tokens). */
  max: number;
  /** Tokens of a text, special tokens not included. */
  count(text: string): number;
}

/** The text side alone: enough to embed queries and note passages. */
export interface TextEmbedder {
  readonly modelId: string;
  /** Length of every embedding this model produces; vectors are L2-normalized. */
  readonly dim: number;
  readonly provider: ProviderInfo;
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
  /** Counted with the model's own tokenizer; note passages are cut to fit it. */
  readonly tokenBudget: TokenBudget;
  /** Words of a query the model does not know (it reads them as fragments); see TextTokenizer.unknownWords. */
  unknownWords(text: string): string[];
  /** Names of the concept channel's dimensions, the last of every embedding (search/why.ts); empty without one. */
  readonly conceptNames: readonly string[];
  close(): Promise<void>;
}

export interface Embedder extends TextEmbedder {
  /**
   * Decodes an image (a path or its bytes) once, at the size this model's input and a thumbnail need
   * (`decodeImage` in preprocess.ts). Throws ImageDecodeError on a corrupt or unsupported file.
   */
  decodeImage(input: string | Buffer): Promise<DecodedImage>;
  /** Preprocesses an image `decodeImage` returned. */
  prepareDecoded(image: DecodedImage): Promise<PreparedImage>;
  /** Embeds already-prepared images in one batch (CPU-bound ONNX run). */
  embedPrepared(images: readonly PreparedImage[]): Promise<Float32Array[]>;
  /** Decode, preprocess and embed for convenience; throws on the first bad image. */
  embedImages(inputs: readonly (string | Buffer)[]): Promise<Float32Array[]>;
}

export class ImageDecodeError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`Cannot read image ${source}: ${reason}`);
    this.name = 'ImageDecodeError';
  }
}
