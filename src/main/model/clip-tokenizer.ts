import { gunzipSync } from 'node:zlib';

/** The printable-character stand-in for each byte that GPT-2/CLIP byte-level BPE uses, in vocabulary order. */
function byteLevelAlphabet(): string[] {
  const printable: number[] = [];
  for (let b = '!'.charCodeAt(0); b <= '~'.charCodeAt(0); b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const codes = [...printable];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) {
      printable.push(b);
      codes.push(256 + extra++);
    }
  }
  return codes.map((c) => String.fromCharCode(c));
}

const START = '<|startoftext|>';
const END = '<|endoftext|>';

/**
 * Builds the Hugging Face `tokenizer.json` of OpenAI's CLIP tokenizer from its byte-pair merges file
 * (`bpe_simple_vocab_16e6.txt.gz`), for CLIP exports that ship only the merges. The vocabulary order is
 * CLIP's own: 256 byte symbols, the same with `</w>`, one token per merge, then the two special tokens.
 */
export function clipTokenizerJson(mergesGz: Buffer): object {
  const lines = gunzipSync(mergesGz).toString('utf8').split('\n');
  const merges = lines.slice(1, 49152 - 256 - 2 + 1).map((line) => line.trim());
  const alphabet = byteLevelAlphabet();
  const tokens = [...alphabet, ...alphabet.map((c) => `${c}</w>`), ...merges.map((m) => m.replace(' ', '')), START, END];
  const vocab = Object.fromEntries(tokens.map((token, id) => [token, id]));
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(START), special(END)],
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [END, vocab[END]],
      cls: [START, vocab[START]],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: END,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}
