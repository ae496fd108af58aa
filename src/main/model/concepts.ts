import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const Entry = z.array(z.tuple([z.number().int().nonnegative(), z.number().positive()]));

/** concepts.json from training/build_concepts.py: which ImageNet classes each English noun (or collocation) names. */
const ConceptFileSchema = z
  .object({
    version: z.literal(1),
    classes: z.array(z.object({ wnid: z.string().regex(/^n\d{8}$/), name: z.string() })).min(1),
    words: z.record(z.string(), Entry),
    phrases: z.record(z.string(), Entry),
  })
  .superRefine((file, ctx) => {
    const n = file.classes.length;
    for (const [kind, entries] of [['words', file.words], ['phrases', file.phrases]] as const) {
      for (const [key, entry] of Object.entries(entries)) {
        if (entry.some(([k]) => k >= n)) {
          ctx.addIssue({ code: 'custom', path: [kind, key], message: `class index out of range (${n} classes)` });
        }
      }
    }
  });

/** One concept vector, sparse; `id` is shared by all words and phrases with the same vector ("dog", "dogs"). */
interface Concept {
  id: number;
  entry: [number, number][];
}

export interface ConceptMap {
  classes: { wnid: string; name: string }[];
  words: Map<string, Concept>;
  /** Keyed by the phrase's words joined with one space ("teddy bear"). */
  phrases: Map<string, Concept>;
  maxPhraseWords: number;
}

export async function loadConceptMap(path: string): Promise<ConceptMap> {
  const file = ConceptFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  const ids = new Map<string, number>();
  const intern = (entries: Record<string, [number, number][]>): Map<string, Concept> =>
    new Map(
      Object.entries(entries).map(([key, entry]) => {
        const content = JSON.stringify(entry);
        if (!ids.has(content)) ids.set(content, ids.size);
        return [key, { id: ids.get(content)!, entry }];
      }),
    );
  const phrases = intern(file.phrases);
  const maxPhraseWords = Math.max(0, ...[...phrases.keys()].map((p) => p.split(' ').length));
  return { classes: file.classes, words: intern(file.words), phrases, maxPhraseWords };
}

/** Lowercase, accents stripped (as the tokenizer's normalizer does), split into runs of letters. */
function words(text: string): string[] {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').match(/\p{L}+/gu) ?? [];
}

/**
 * Sum of the concept vectors of the text's words and phrases: a phrase match ("teddy bear") consumes its words
 * so they are not counted again, and each distinct concept counts once however often it occurs ("a dog and two
 * dogs" counts dog once, since the map gives "dog" and "dogs" the same vector).
 */
export function conceptVector(map: ConceptMap, text: string): Float32Array {
  const out = new Float32Array(map.classes.length);
  const seen = new Set<number>();
  const add = (concept: Concept | undefined): void => {
    if (concept === undefined || seen.has(concept.id)) return;
    seen.add(concept.id);
    for (const [k, w] of concept.entry) out[k] = out[k]! + w;
  };
  const ws = words(text);
  let i = 0;
  while (i < ws.length) {
    let taken = 1;
    for (let n = Math.min(map.maxPhraseWords, ws.length - i); n >= 2; n--) {
      const phrase = map.phrases.get(ws.slice(i, i + n).join(' '));
      if (phrase !== undefined) {
        add(phrase);
        taken = n;
        break;
      }
    }
    if (taken === 1) add(map.words.get(ws[i]!));
    i += taken;
  }
  return out;
}
