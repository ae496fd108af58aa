/** Camera settings as photographers write them. */
import type { PhotoMetadata } from '../../shared/dto.ts';

export function cameraLabel(metadata: PhotoMetadata, fallback: string | null): string | null {
  const make = metadata.make?.trim() ?? '';
  const model = metadata.model?.trim() ?? '';
  if (!make && !model) return fallback;
  return model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`.trim();
}

export function exposureLabel(metadata: PhotoMetadata): string | null {
  const parts: string[] = [];
  if (metadata.exposureTime) {
    parts.push(metadata.exposureTime >= 1 ? `${metadata.exposureTime} s` : `1/${Math.round(1 / metadata.exposureTime)} s`);
  }
  if (metadata.fNumber) parts.push(`ƒ/${metadata.fNumber}`);
  if (metadata.iso) parts.push(`ISO ${metadata.iso}`);
  if (metadata.focalLength) parts.push(`${Math.round(metadata.focalLength)} mm`);
  return parts.length > 0 ? parts.join(' · ') : null;
}
