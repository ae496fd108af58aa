import sharp from 'sharp';
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

/**
 * Decodes an image file or buffer (EXIF-rotated, first frame, alpha dropped) and turns it into the
 * normalized CHW float32 tensor a model expects. Training features go through this same function,
 * which is what keeps train and serve from drifting.
 */
export async function prepareImage(input: string | Buffer, pre: ImagePreprocessing): Promise<PreparedImage> {
  const source = typeof input === 'string' ? input : '<buffer>';
  let pixels: Buffer;
  let width: number;
  let height: number;
  try {
    const image = sharp(input, { failOn: 'error', limitInputPixels: 400_000_000 });
    const meta = await image.metadata();
    if (!meta.width || !meta.height) throw new Error('no image dimensions');
    const rotated = (meta.orientation ?? 1) >= 5;
    width = rotated ? meta.height : meta.width;
    height = rotated ? meta.width : meta.height;
    pixels = await image
      .rotate()
      .resize(pre.size, pre.size, {
        fit: pre.resize === 'squash' ? 'fill' : 'cover',
        position: 'centre',
        kernel: pre.resize === 'squash' ? 'lanczos3' : 'cubic',
      })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer();
  } catch (error) {
    throw new ImageDecodeError(source, error instanceof Error ? error.message : String(error));
  }
  return { tensor: toNormalizedChw(pixels, pre), width, height };
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

/** Mirror image left–right of a CHW tensor (training augmentation). */
export function flipHorizontal(tensor: Float32Array, size: number): Float32Array {
  const out = new Float32Array(tensor.length);
  for (let row = 0; row < tensor.length / size; row++) {
    const start = row * size;
    for (let x = 0; x < size; x++) out[start + x] = tensor[start + size - 1 - x]!;
  }
  return out;
}
