// Views kept by their query, the least recently used dropped first: a page's model is a pure function of the corpus
// and its parameters, so a map on a date or a comparison is computed once per process and served from memory after.
/** A bounded map from a query key to its computed view. */
export class ViewCache<V> {
  private readonly views = new Map<string, V>();
  constructor(private readonly capacity = 128) {}

  /** The view for `key`, computed by `make` the first time (and again once dropped). */
  get(key: string, make: () => V): V {
    const found = this.views.get(key);
    if (found !== undefined) {
      this.views.delete(key);
      this.views.set(key, found);
      return found;
    }
    const made = make();
    if (this.views.size >= this.capacity) this.views.delete(this.views.keys().next().value!);
    this.views.set(key, made);
    return made;
  }
}
