import { describe, expect, it } from 'vitest';
import type { PhotoMetadata } from '../../shared/dto.ts';
import { cameraLabel, exposureLabel } from './exif.ts';

const none: PhotoMetadata = { make: null, model: null, lens: null, iso: null, exposureTime: null, fNumber: null, focalLength: null, gps: null };

describe('exif labels', () => {
  it('does not repeat the make when the model already names it', () => {
    expect(cameraLabel({ ...none, make: 'Canon', model: 'Canon EOS 5D' }, null)).toBe('Canon EOS 5D');
    expect(cameraLabel({ ...none, make: 'NIKON CORPORATION', model: 'D750' }, null)).toBe('NIKON CORPORATION D750');
    expect(cameraLabel(none, 'Phone')).toBe('Phone');
  });

  it('writes exposure as photographers do and says nothing when unknown', () => {
    expect(exposureLabel({ ...none, exposureTime: 0.004, fNumber: 2.8, iso: 200, focalLength: 35.2 })).toBe('1/250 s · ƒ/2.8 · ISO 200 · 35 mm');
    expect(exposureLabel({ ...none, exposureTime: 2 })).toBe('2 s');
    expect(exposureLabel(none)).toBeNull();
  });
});
