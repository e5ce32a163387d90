// Gallery requests from the panel: each gets an id, and only the answer to the latest request
// for a slot (the cell gallery, the confidently-wrong strip) is kept, so a slow answer to a
// superseded request never replaces a newer one.
import type { ErrorGallery, GalleryQuery } from '../shared/errorGallery';

export type GalleryState =
  | { status: 'none' }
  | { status: 'loading'; query: GalleryQuery }
  | { status: 'ready'; gallery: ErrorGallery }
  | { status: 'unavailable'; query: GalleryQuery; reason: string };

export type GallerySlot = 'cell' | 'confidentlyWrong';

/** One object, so a view can tell by identity that nothing changed. */
const NONE: GalleryState = { status: 'none' };

export class GalleryRequests {
  private nextId = 1;
  private readonly latest = new Map<GallerySlot, { id: number; query: GalleryQuery }>();
  private readonly states = new Map<GallerySlot, GalleryState>();

  constructor(
    private readonly send: (requestId: number, query: GalleryQuery) => void,
    private readonly changed: () => void,
  ) {}

  state(slot: GallerySlot): GalleryState {
    return this.states.get(slot) ?? NONE;
  }

  /** The query last asked for in this slot, answered or not. */
  query(slot: GallerySlot): GalleryQuery | null {
    return this.latest.get(slot)?.query ?? null;
  }

  ask(slot: GallerySlot, query: GalleryQuery): void {
    const id = this.nextId++;
    this.latest.set(slot, { id, query });
    this.states.set(slot, { status: 'loading', query });
    this.send(id, query);
  }

  clear(slot: GallerySlot): void {
    this.latest.delete(slot);
    this.states.set(slot, NONE);
  }

  receive(requestId: number, gallery: ErrorGallery): void {
    const slot = this.slotOf(requestId);
    if (!slot) return;
    this.states.set(slot, { status: 'ready', gallery });
    this.changed();
  }

  receiveUnavailable(requestId: number, reason: string): void {
    const slot = this.slotOf(requestId);
    if (!slot) return;
    this.states.set(slot, { status: 'unavailable', query: this.latest.get(slot)!.query, reason });
    this.changed();
  }

  private slotOf(requestId: number): GallerySlot | null {
    for (const [slot, latest] of this.latest) if (latest.id === requestId) return slot;
    return null;
  }
}
