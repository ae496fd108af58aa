import { NO_CAMERA_METADATA, type PhotoRow } from '../src/main/library/schema.ts';

/**
 * Synthetic embeddings for store-side benchmarks. Real photo embeddings are not uniform on the sphere: they
 * gather around subjects and styles. Uniform noise makes every ANN index look bad (no structure to exploit);
 * a mixture of clusters with a spread measured from real vectors gives figures closer to a real library.
 * A library that grows also drifts (new trips, new people, a new camera): with `newClusterEvery`, a new
 * cluster appears every that many vectors, so an index trained on the first photos has not seen the later ones.
 */
export class SyntheticVectors {
  private readonly centres: Float32Array[];
  private state: number;
  private produced = 0;

  constructor(
    readonly dim: number,
    clusters: number,
    /** Standard deviation of the per-dimension noise around a cluster centre (before normalization). */
    private readonly spread: number,
    seed = 7,
    private readonly newClusterEvery = Number.POSITIVE_INFINITY,
  ) {
    this.state = seed >>> 0;
    this.centres = Array.from({ length: clusters }, () => this.centre());
  }

  /** One vector near a random cluster centre (of those there are so far), L2-normalized. */
  next(): Float32Array {
    if (++this.produced % this.newClusterEvery === 0) this.centres.push(this.centre());
    const centre = this.centres[Math.floor(this.uniform() * this.centres.length)]!;
    const scale = this.spread;
    return this.normalized(Float32Array.from(centre, (c) => c + scale * this.gaussian()));
  }

  /** A query near an existing vector (a caption close to a photo it describes). */
  near(vector: Float32Array, noise: number): Float32Array {
    return this.normalized(Float32Array.from(vector, (v) => v + noise * this.gaussian()));
  }

  private centre(): Float32Array {
    return this.normalized(Float32Array.from({ length: this.dim }, () => this.gaussian()));
  }

  private normalized(v: Float32Array): Float32Array {
    let sum = 0;
    for (const x of v) sum += x * x;
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i]! *= inv;
    return v;
  }

  private uniform(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }

  private gaussian(): number {
    const u = Math.max(this.uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
}

const CAMERAS = ['Canon EOS 5D', 'Pixel 7', 'iPhone 13', 'NIKON D750', null];
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
const FIRST_DAY = Date.UTC(2015, 0, 1);

/**
 * Photo rows shaped like a personal library: capture times spread over ten years (so the timeline has
 * thousands of days), 3 % without a date, a few cameras, folders by year and month. Deterministic.
 */
export function syntheticPhotoRow(i: number, vector: Float32Array, modelId: string): PhotoRow {
  const r = hash(i);
  const takenAt = r % 100 < 3 ? null : FIRST_DAY + (hash(i + 1) / 2 ** 32) * TEN_YEARS_MS;
  const folder = takenAt === null ? 'undated' : new Date(takenAt).toISOString().slice(0, 7).replace('-', '/');
  return {
    id: `s${i}`,
    path: `/bench/photos/${folder}/IMG_${String(i).padStart(6, '0')}.jpg`,
    root: '/bench/photos',
    size: 1_000_000 + (r % 5_000_000),
    mtime_ms: takenAt ?? FIRST_DAY + i,
    hash: `h${i}`,
    width: 4032,
    height: 3024,
    taken_at: takenAt === null ? null : Math.round(takenAt),
    taken_at_exif: takenAt !== null,
    ...NO_CAMERA_METADATA,
    camera: CAMERAS[r % CAMERAS.length]!,
    thumb: null,
    model_id: modelId,
    vector,
    status: 'ok',
    error: null,
    missing_since: null,
    indexed_at: 1_700_000_000_000,
  };
}

/** A 32-bit integer hash (xorshift-multiply), so row `i` is the same in every run. */
function hash(i: number): number {
  let x = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
