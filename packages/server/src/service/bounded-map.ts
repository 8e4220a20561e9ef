// A Map that keeps only its `limit` most recently set entries. A node's job book remembers the jobs it has announced or
// written, and forgets each when the job is archived here; a job another node sends and archives is never archived
// here, so without a bound a long-running cluster node would remember every such job it ever heard of.

export class BoundedMap<K, V> extends Map<K, V> {
  readonly #limit: number;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  /** Sets `key` as the newest entry, forgetting the oldest once there are more than the limit. */
  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.#limit) super.delete(this.keys().next().value as K);
    return this;
  }
}
