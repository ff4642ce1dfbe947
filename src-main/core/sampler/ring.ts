/** A fixed-size ring buffer: the live window behind the dashboard's sparklines. */
export class Ring<T> {
  private items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(private capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) out.push(this.items[(start + i) % this.capacity] as T);
    return out;
  }

  latest(): T | undefined {
    return this.count ? this.items[(this.next - 1 + this.capacity) % this.capacity] : undefined;
  }

  get size(): number {
    return this.count;
  }

  /** Keeps the newest items that fit. */
  resize(capacity: number): void {
    const kept = this.toArray().slice(-capacity);
    this.capacity = capacity;
    this.items = new Array<T | undefined>(capacity);
    this.next = 0;
    this.count = 0;
    for (const item of kept) this.push(item);
  }
}
