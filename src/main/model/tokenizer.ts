import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';

export interface TextTokenizer {
  /** Token ids of one text, special tokens included as the tokenizer.json's post-processor adds them. */
  encode(text: string): number[];
  /**
   * The words of a text the vocabulary does not hold whole, so the model reads them as fragments ("xqzvw" →
   * x ##q ##z ##v ##w) or as unknown (emoji, scripts it lacks). Only a word-level vocabulary (WordPiece) can say;
   * a byte-level BPE spells any word and reports none.
   */
  unknownWords(text: string): string[];
}

/** Loads a Hugging Face tokenizer.json (ours, WordPiece; or CLIP's byte-level BPE) with a maintained library. */
export async function loadTokenizer(path: string): Promise<TextTokenizer> {
  const json = JSON.parse(await readFile(path, 'utf8'));
  const tokenizer = new Tokenizer(json, {});
  const wordLevel = json.model?.type === 'WordPiece';
  const unknown: string | undefined = json.model?.unk_token;
  const prefix: string = json.model?.continuing_subword_prefix ?? '##';
  return {
    encode: (text) => tokenizer.encode(text).ids,
    unknownWords: (text) =>
      wordLevel
        ? text
            .split(/\s+/)
            .filter(Boolean)
            .filter((word) => tokenizer.tokenize(word, { add_special_tokens: false }).some((token: string) => token === unknown || token.startsWith(prefix)))
        : [],
  };
}
