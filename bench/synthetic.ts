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
