import exifr from 'exifr';

export interface PhotoExif {
  takenAt: number | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  iso: number | null;
  exposureTime: number | null;
  fNumber: number | null;
  focalLength: number | null;
  gps: { latitude: number; longitude: number } | null;
}

const NONE: PhotoExif = {
  takenAt: null,
  make: null,
  model: null,
  lens: null,
  iso: null,
  exposureTime: null,
  fNumber: null,
  focalLength: null,
  gps: null,
};

const PICK = ['DateTimeOriginal', 'CreateDate', 'Make', 'Model', 'LensModel', 'ISO', 'ExposureTime', 'FNumber', 'FocalLength', 'GPSLatitude', 'GPSLongitude', 'GPSLatitudeRef', 'GPSLongitudeRef'];

/** Capture time, camera and exposure from EXIF; a photo without (or with broken) EXIF simply has none. */
export async function readExif(bytes: Buffer): Promise<PhotoExif> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(bytes, { pick: PICK, gps: true, reviveValues: true });
  } catch {
    return NONE;
  }
  if (!tags) return NONE;
  const date = tags.DateTimeOriginal ?? tags.CreateDate;
  const latitude = numberOrNull(tags.latitude);
  const longitude = numberOrNull(tags.longitude);
  return {
    takenAt: date instanceof Date && !Number.isNaN(date.getTime()) ? date.getTime() : null,
    make: text(tags.Make),
    model: text(tags.Model),
    lens: text(tags.LensModel),
    iso: numberOrNull(tags.ISO),
    exposureTime: numberOrNull(tags.ExposureTime),
    fNumber: numberOrNull(tags.FNumber),
    focalLength: numberOrNull(tags.FocalLength),
    gps: latitude !== null && longitude !== null ? { latitude, longitude } : null,
  };
}

/**
 * The camera's display name: "Canon EOS 5D", not "Canon Canon EOS 5D" (many makers repeat the make in
 * the model tag).
 */
export function cameraLabel(make: string | null, model: string | null): string | null {
  if (!make) return model;
  if (!model) return make;
  const brand = make.split(/\s+/)[0]!.toLowerCase();
  return model.toLowerCase().startsWith(brand) ? model : `${make} ${model}`;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().replace(/\0+$/, '') : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
