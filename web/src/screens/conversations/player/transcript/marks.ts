// Marks the transcript changes while it plays or is searched (the word being said, the utterance at the playhead,
// the matches of the search within it) go straight onto the DOM as data attributes: React renders the words once,
// so a 3-hour call never re-renders at 60 fps. Parts rendered later (lazily, as they scroll into view) are painted
// when they mount.

/** Selector → attribute value. */
export type Layer = Map<string, string>;

export const wordSel = (id: number) => `[data-wi="${id}"]`;
export const uttSel = (k: number) => `[data-ui="${k}"]`;

export class DomMarks {
  root: HTMLElement | null = null;
  private readonly layers = new Map<string, Layer>();

  /** Replaces what carries `attr`: removed where it no longer applies, set where it is new or changed. */
  set(attr: string, next: Layer) {
    const prev = this.layers.get(attr) ?? new Map<string, string>();
    const root = this.root;
    if (root) {
      for (const sel of prev.keys()) if (!next.has(sel)) root.querySelector(sel)?.removeAttribute(attr);
      for (const [sel, v] of next) if (prev.get(sel) !== v) root.querySelector(sel)?.setAttribute(attr, v);
    }
    this.layers.set(attr, next);
  }

  get(attr: string): Layer {
    return this.layers.get(attr) ?? new Map();
  }

  /** A part that just rendered: everything that falls in it. */
  paint(part: HTMLElement) {
    for (const [attr, layer] of this.layers) for (const [sel, v] of layer) part.querySelector(sel)?.setAttribute(attr, v);
  }
}

export const layerOf = (sels: Iterable<string>, value = ''): Layer => new Map([...sels].map((s) => [s, value]));
