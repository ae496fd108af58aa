/**
 * Synthetic embeddings for store-side benchmarks. Real photo embeddings are not uniform on the sphere: they
 * gather around subjects and styles. Uniform noise makes every ANN index look bad (no structure to exploit);
 * a mixture of clusters with a spread measured from real vectors gives figures closer to a real library.
 */
export class SyntheticVectors {
  private readonly centres: Float32Array[];
  private state: number;

  constructor(
    readonly dim: number,
    clusters: number,
    /** Standard deviation of the per-dimension noise around a cluster centre (before normalization). */
    private readonly spread: number,
    seed = 7,
  ) {
    this.state = seed >>> 0;
    this.centres = Array.from({ length: clusters }, () => this.normalized(Float32Array.from({ length: dim }, () => this.gaussian())));
  }

  /** One vector near a random cluster centre, L2-normalized. */
  next(): Float32Array {
    const centre = this.centres[Math.floor(this.uniform() * this.centres.length)]!;
    const scale = this.spread;
    return this.normalized(Float32Array.from(centre, (c) => c + scale * this.gaussian()));
  }

  /** A query near an existing vector (a caption close to a photo it describes). */
  near(vector: Float32Array, noise: number): Float32Array {
    return this.normalized(Float32Array.from(vector, (v) => v + noise * this.gaussian()));
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
