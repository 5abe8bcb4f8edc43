/**
 * A bounded memo with two generations: lookups hit the young map, then the old one (promoting the
 * entry); when the young map is full it becomes the old one and the previous old one is dropped.
 * Memory stays under 2 × `limit` entries, frequent keys survive, and no per-hit bookkeeping is needed
 * (cheaper than a true LRU on the analyzer's hot path).
 */
export class BoundedCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
