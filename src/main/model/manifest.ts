import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');

export const ImagePreprocessingSchema = z.object({
  size: z.number().int().positive(),
  resize: z.enum(['squash', 'center-crop']),
  channels: z.enum(['rgb', 'bgr']).optional(),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number(), z.number(), z.number()]),
});

const OnnxFile = z.object({
  file: z.string(),
  /** Model input name → where its data comes from: `pixels` (the preprocessed image) or a backbone output name. */
  inputs: z.record(z.string(), z.string()).optional(),
  output: z.string(),
});

/** One image tower: a trained model over a frozen backbone's outputs, or a single file over pixels. */
const ImageTowerSchema = z.object({
  /** Id of a backbone described in models/backbones/<id>.json; absent for single-file image towers. */
  backbone: z.string().optional(),
  /** Required unless a backbone supplies it. */
  preprocess: ImagePreprocessingSchema.optional(),
  model: OnnxFile,
  /** Also embed the photo's mirror image and average the two (test-time flip): twice the backbone's work. */
  mirror: z.boolean().default(false),
  /** This tower's share when several are combined (`also`). */
  weight: z.number().positive().default(1),
});
export type ImageTowerSpec = z.infer<typeof ImageTowerSchema>;

/**
 * `models/<id>/model.json`: one format for every model the app can run. Ours (`image.backbone` set: a frozen
 * backbone fetched separately, a trained head over its multi-level outputs, a text tower) and standard CLIP
 * ONNX exports (a vision model over pixels, a text model, the CLIP tokenizer) are both just manifests.
 */
export const ManifestSchema = z
  .object({
    schema: z.literal(1),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore'),
    name: z.string().min(1),
    description: z.string().default(''),
    license: z.string().min(1),
    embeddingDim: z.number().int().positive(),
    image: ImageTowerSchema.extend({
      /**
       * More towers, over other backbones, trained into the same space (they share the text tower): a photo's
       * embedding is the weighted sum of every tower's unit embedding, normalized. They must take the same
       * image size and resizing as the first tower.
       */
      also: z.array(ImageTowerSchema).default([]),
    }),
    text: z.object({
      tokenizer: z.string(),
      maxLength: z.number().int().positive(),
      padId: z.number().int().nonnegative(),
      model: z.object({
        file: z.string(),
        ids: z.string(),
        mask: z.string().optional(),
        idType: z.enum(['int64', 'int32']).default('int64'),
        output: z.string(),
      }),
      /**
       * A concept map (concepts.json: the ImageNet classes each noun names, from WordNet) whose per-text
       * vector the text model takes as the input `input` [B, classes].
       */
      concepts: z.object({ file: z.string(), input: z.string() }).optional(),
    }),
    /** Every file of the model with its digest: checked at load, so a damaged download is refused. */
    files: z.record(z.string(), z.object({ sha256: Sha256, bytes: z.number().int().nonnegative() })),
    metrics: z.record(z.string(), z.unknown()).default({}),
    notes: z.array(z.string()).default([]),
  })
  .superRefine((m, ctx) => {
    imageTowers(m).forEach((tower, i) => {
      if (tower.backbone === undefined && tower.preprocess === undefined) {
        ctx.addIssue({ code: 'custom', message: 'preprocess is required when the tower has no backbone', path: i === 0 ? ['image', 'preprocess'] : ['image', 'also', i - 1, 'preprocess'] });
      }
    });
  });
export type Manifest = z.infer<typeof ManifestSchema>;

/** Every image tower of a model, the first one first. */
export function imageTowers(manifest: Pick<Manifest, 'image'>): ImageTowerSpec[] {
  const { also, ...first } = manifest.image;
  return [first, ...also];
}

/** The frozen backbones a model needs, each once. */
export function imageBackbones(manifest: Pick<Manifest, 'image'>): string[] {
  return [...new Set(imageTowers(manifest).flatMap((tower) => (tower.backbone ? [tower.backbone] : [])))];
}

export class ManifestError extends Error {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(`Model at ${dir}: ${message}`);
    this.name = 'ManifestError';
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The `files` entry of a model file: what loadManifest checks it against. */
export function manifestFileEntry(bytes: Uint8Array): { sha256: string; bytes: number } {
  return { sha256: sha256Hex(bytes), bytes: bytes.length };
}

/** Reads and validates `<dir>/model.json` and checks every listed file against its sha256. */
export async function loadManifest(dir: string): Promise<Manifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  } catch (error) {
    throw new ManifestError(dir, `cannot read model.json (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ManifestError(dir, `invalid model.json: ${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;
  const referenced = [...imageTowers(manifest).map((tower) => tower.model.file), manifest.text.model.file, manifest.text.tokenizer, ...(manifest.text.concepts ? [manifest.text.concepts.file] : [])];
  for (const file of referenced) {
    if (!manifest.files[file]) throw new ManifestError(dir, `${file} is used but not listed under "files"`);
  }
  await Promise.all(
    Object.entries(manifest.files).map(async ([file, expected]) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(join(dir, file));
      } catch {
        throw new ManifestError(dir, `${file} is missing`);
      }
      const digest = sha256Hex(bytes);
      if (digest !== expected.sha256) throw new ManifestError(dir, `${file} is damaged (sha256 ${digest}, expected ${expected.sha256})`);
    }),
  );
  return manifest;
}
