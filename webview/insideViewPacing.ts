// How often the panel asks for feature maps and predictions: at most PANEL_REFRESH_MS apart per
// kind, the latest wish replacing one still waiting, so drawing fast or a fast-moving run never
// floods the trainer. Requests also go out again as training changes the weights.
import { PANEL_REFRESH_MS, type InsideRequestKind } from '../shared/insideViews';
import { LatestRequestSlots } from '../shared/latestRequestSlots';

export class InsideViewPacing {
  private readonly slots = new LatestRequestSlots<InsideRequestKind>(PANEL_REFRESH_MS, () => {});
  private nextId = 1;

  ask(kind: InsideRequestKind, send: () => void): void {
    this.slots.submit(kind, this.nextId++, send);
  }
}
