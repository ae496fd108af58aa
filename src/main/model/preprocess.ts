import sharp, { type Sharp } from 'sharp';
import { ImageDecodeError, type PreparedImage } from './embedder-types.ts';

export interface ImagePreprocessing {
  /** Side of the square tensor the image tower takes. */
  size: number;
  /** `squash`: resize to size×size ignoring aspect (how our model was trained); `center-crop`: shortest side to size, then crop the centre (CLIP). */
  resize: 'squash' | 'center-crop';
  /** Order of the tensor's channels; `bgr` for Keras "caffe" models. `mean` and `std` are in this order. Default `rgb`. */
  channels?: 'rgb' | 'bgr';
  mean: [number, number, number];
  std: [number, number, number];
}

/** A photo decoded once: what its model input and its thumbnail are both made from. */
export interface DecodedImage {
  /** EXIF-rotated sRGB pixels, interleaved, with alpha when the photo has it. */
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  /** The photo's own size (after EXIF rotation). */
  readonly originalWidth: number;
  readonly originalHeight: number;
}

/**
 * Shortest side a photo is decoded at (a smaller photo is decoded as it is): the thumbnail's 256 px, or the
 * model's input where that is larger. It bounds the work: a 12 MP JPEG is decoded at an eighth of its size by
 * libjpeg itself (shrink-on-load) and everything after runs on about a tenth of a megapixel. The Flickr 8k
 * photos the model was trained on (224 px) are below it, so their features are computed exactly as before.
 */
export const DECODED_SIDE = 256;

export function decodeSide(pre: ImagePreprocessing): number {
  return Math.max(DECODED_SIDE, pre.size);
}

/** Decodes an image file or buffer once (EXIF-rotated, first frame, sRGB), shrunk to a shortest side of `side` at most. */
export async function decodeImage(input: string | Buffer, side: number): Promise<DecodedImage> {
  try {
    const image = sharp(input, { failOn: 'error', limitInputPixels: 400_000_000 });
    const meta = await image.metadata();
    if (!meta.width || !meta.height) throw new Error('no image dimensions');
    const rotated = (meta.orientation ?? 1) >= 5;
    const { data, info } = await image
      .rotate()
      .resize(side, side, { fit: 'outside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 && info.channels !== 4) throw new Error(`decoded to ${info.channels} channels`);
    return {
      pixels: data,
      width: info.width,
      height: info.height,
      channels: info.channels,
      originalWidth: rotated ? meta.height : meta.width,
      originalHeight: rotated ? meta.width : meta.height,
    };
  } catch (error) {
    throw new ImageDecodeError(typeof input === 'string' ? input : '<buffer>', error instanceof Error ? error.message : String(error));
  }
}

/** Sharp over decoded pixels: no second decode. */
export function fromDecoded(image: DecodedImage): Sharp {
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

/** The normalized CHW float32 tensor a model expects, from decoded pixels (alpha dropped). */
export async function toModelInput(image: DecodedImage, pre: ImagePreprocessing): Promise<PreparedImage> {
  const pixels = await fromDecoded(image)
    .resize(pre.size, pre.size, {
      fit: pre.resize === 'squash' ? 'fill' : 'cover',
      position: 'centre',
      kernel: pre.resize === 'squash' ? 'lanczos3' : 'cubic',
    })
    .removeAlpha()
    .raw()
    .toBuffer();
  return { tensor: toNormalizedChw(pixels, pre), width: image.originalWidth, height: image.originalHeight };
}

/**
 * Decodes an image file or buffer and turns it into the normalized CHW float32 tensor a model expects.
 * Training features go through this same function, which is what keeps train and serve from drifting.
 */
export async function prepareImage(input: string | Buffer, pre: ImagePreprocessing): Promise<PreparedImage> {
  return toModelInput(await decodeImage(input, decodeSide(pre)), pre);
}

function toNormalizedChw(rgb: Buffer, pre: ImagePreprocessing): Float32Array {
  const plane = pre.size * pre.size;
  if (rgb.length !== plane * 3) throw new Error(`expected ${plane * 3} RGB bytes, got ${rgb.length}`);
  const out = new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    const from = pre.channels === 'bgr' ? 2 - c : c;
    const scale = 1 / (255 * pre.std[c]!);
    const shift = pre.mean[c]! / pre.std[c]!;
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = rgb[i * 3 + from]! * scale - shift;
  }
  return out;
}

/**
 * The same pixels as a tensor prepared with `from`, normalized as `to` wants them (channel order, mean, std):
 * what lets towers over different backbones share one decode and resize. Both must have the same size.
 */
export function renormalize(tensor: Float32Array, from: ImagePreprocessing, to: ImagePreprocessing): Float32Array {
  const plane = tensor.length / 3;
  const out = new Float32Array(tensor.length);
  for (let c = 0; c < 3; c++) {
    const rgb = to.channels === 'bgr' ? 2 - c : c;
    const source = from.channels === 'bgr' ? 2 - rgb : rgb;
    // value01 = x·std_from + mean_from; out = (value01 − mean_to) / std_to
    const scale = from.std[source]! / to.std[c]!;
    const shift = (from.mean[source]! - to.mean[c]!) / to.std[c]!;
    for (let i = 0; i < plane; i++) out[c * plane + i] = tensor[source * plane + i]! * scale + shift;
  }
  return out;
}

/** Mirror image left–right of a CHW tensor (training augmentation). */
export function flipHorizontal(tensor: Float32Array, size: number): Float32Array {
  const out = new Float32Array(tensor.length);
  for (let row = 0; row < tensor.length / size; row++) {
    const start = row * size;
    for (let x = 0; x < size; x++) out[start + x] = tensor[start + size - 1 - x]!;
  }
  return out;
}
