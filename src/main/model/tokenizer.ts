import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';

export interface TextTokenizer {
  /** Token ids of one text, special tokens included as the tokenizer.json's post-processor adds them. */
  encode(text: string): number[];
}

/** Loads a Hugging Face tokenizer.json (ours, WordPiece; or CLIP's byte-level BPE) with a maintained library. */
export async function loadTokenizer(path: string): Promise<TextTokenizer> {
  const json = JSON.parse(await readFile(path, 'utf8'));
  const tokenizer = new Tokenizer(json, {});
  return {
    encode: (text) => tokenizer.encode(text).ids,
  };
}
