// The network as a vertical chain of focusable boxes, drawn from the reported spec and figures.
// Residual blocks get a bypass from their input to the add: solid for an identity shortcut,
// dashed for a projection, as the seed tutorial draws them.
import type { Finding } from '../shared/activationDiagnosis';
import type { BlockSpec } from '../shared/architecture';
import { formatShape, type BlockFigures } from '../shared/modelFigures';
import type { ArchitectureReport } from '../shared/trainingReports';
import { worstSeverity, type FindingsByBlock } from './blockFindings';
import { shortcutLabel, shortTitle } from './blockTitles';
import { architectureKey } from '../shared/displayedArchitecture';
import { codicon, h } from './dom';
import { moveRovingFocus, setTabStop } from './rovingFocus';

interface DrawnBlock {
  box: HTMLButtonElement;
  badge: HTMLElement;
  baseLabel: string;
}

export class BlockDiagram {
  readonly element = h('div', { class: 'block-diagram', role: 'group', 'aria-label': 'Model blocks; arrow keys move, Enter selects', 'data-testid': 'diagram' });
  private drawn = new Map<string, DrawnBlock>();
  private key = '';

  constructor(private readonly onSelect: (blockId: string) => void) {
    this.element.addEventListener('keydown', (event) => moveRovingFocus(event, this.boxes()));
  }

  update(report: ArchitectureReport, selectedId: string | null, findings: FindingsByBlock): void {
    const key = architectureKey(report);
    if (key !== this.key) this.rebuild(report, key);
    for (const [id, block] of this.drawn) {
      const selected = id === selectedId;
      block.box.classList.toggle('selected', selected);
      block.box.setAttribute('aria-pressed', String(selected));
      this.showFindings(block, findings.get(id));
    }
    // One Tab stop for the whole diagram, on the selected box; arrows move within it.
    setTabStop(this.boxes(), selectedId === null ? undefined : this.drawn.get(selectedId)?.box);
  }

  /** The boxes in the network's order (the map keeps insertion order). */
  private boxes(): HTMLElement[] {
    return [...this.drawn.values()].map((b) => b.box);
  }

  private rebuild(report: ArchitectureReport, key: string): void {
    this.key = key;
    this.drawn.clear();
    const stages: HTMLElement[] = [];
    report.spec.blocks.forEach((block, i) => {
      const figures = report.figures.blocks[i];
      if (!figures) return;
      const box = this.drawBox(block, figures);
      if (i > 0) stages.push(connector(block.kind !== 'residual'));
      stages.push(block.kind === 'residual' ? residualStage(block, figures, box) : box);
    });
    this.element.replaceChildren(...stages);
  }

  private drawBox(block: BlockSpec, figures: BlockFigures): HTMLButtonElement {
    const shape = formatShape(figures.outputShape);
    const title = shortTitle(block);
    const badge = h('span', { class: 'finding-badge', hidden: true });
    const box = h('button', { type: 'button', class: `block-box kind-${block.kind}`, 'data-block-id': block.id, 'data-testid': `block-${block.id}` },
      h('span', { class: 'block-line' }, h('span', { class: 'block-id' }, block.id), h('span', { class: 'block-shape', 'data-testid': `shape-${block.id}` }, shape)),
      h('span', { class: 'block-line' }, h('span', { class: 'block-title' }, title || '\u00a0'), badge),
    );
    box.addEventListener('click', () => this.onSelect(block.id));
    const baseLabel = `${block.id}${title ? `, ${title}` : ''}, output ${shape}`;
    this.drawn.set(block.id, { box, badge, baseLabel });
    return box;
  }

  private showFindings(block: DrawnBlock, findings: readonly Finding[] | undefined): void {
    const severity = worstSeverity(findings);
    block.box.classList.toggle('has-error', severity === 'error');
    block.box.classList.toggle('has-warning', severity === 'warning');
    block.badge.hidden = severity === null;
    if (severity === null || !findings) {
      block.badge.replaceChildren();
      block.box.removeAttribute('title');
      block.box.setAttribute('aria-label', block.baseLabel);
      return;
    }
    const word = severity === 'error' ? 'problem' : 'warning';
    block.badge.className = `finding-badge ${severity}`;
    block.badge.replaceChildren(codicon(severity), `${findings.length} ${word}${findings.length === 1 ? '' : 's'}`);
    block.box.title = findings.map((f) => f.message).join('\n');
    block.box.setAttribute('aria-label', `${block.baseLabel}; ${findings.length} ${word}${findings.length === 1 ? '' : 's'}: ${block.box.title}`);
  }
}

/** The arrow between two stages; into a residual block it ends at the fork, without a head. */
function connector(withHead: boolean): HTMLElement {
  return h('div', { class: withHead ? 'connector arrow' : 'connector', 'aria-hidden': 'true' });
}

/** Fork → box → add, with the shortcut drawn around the box's right side. */
function residualStage(block: BlockSpec, figures: BlockFigures, box: HTMLButtonElement): HTMLElement {
  const kind = block.shortcut?.kind ?? 'identity';
  const label = shortcutLabel(block, figures) ?? '';
  return h('div', { class: `residual-stage shortcut-${kind}` },
    h('div', { class: 'fork', 'aria-hidden': 'true' }),
    connector(true),
    box,
    connector(true),
    h('div', { class: 'add-node', 'aria-hidden': 'true', title: 'add main path and shortcut' }, '+'),
    h('div', { class: 'shortcut-line', 'aria-hidden': 'true' }),
    h('div', { class: 'shortcut-label', 'data-testid': `shortcut-${block.id}` },
      h('span', { class: 'shortcut-kind' }, kind === 'projection' ? 'projection' : 'identity'),
      kind === 'projection' ? h('span', { class: 'shortcut-detail' }, label) : null),
  );
}
