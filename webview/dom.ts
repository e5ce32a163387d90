// A tiny element builder. Text always goes in through textContent (never innerHTML), so values
// from the host cannot inject markup; and no `style` attribute is ever written, because the
// panel's CSP forbids inline styles (CSSOM properties such as element.style.width stay allowed).

export type AttributeValue = string | number | boolean | null | undefined;
export type Attributes = Record<string, AttributeValue>;
export type Child = Node | string | number | null | undefined | false;

/** Creates an element; `true` writes an empty attribute, `false`/null/undefined leave it out. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

/** Custom elements (vscode-button, vscode-badge…) by tag name. */
export function custom(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'style') throw new Error('inline style attributes are blocked by the CSP; use a class');
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

/** A codicon from the page's codicon.css (decorative; the surrounding text carries the meaning). */
export function codicon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** Drops the empty children, for replaceChildren(...nodes(a, maybeB, c)). */
export function nodes(...children: Child[]): (Node | string)[] {
  return children.flatMap((child) => (child === null || child === undefined || child === false ? [] : [child instanceof Node ? child : String(child)]));
}

/**
 * A box that scrolls a wide table (or the diagram) sideways. It is a Tab stop and a named region, so keyboard
 * users can scroll it with the arrow keys and screen readers say what it holds.
 */
export function scrollRegion(label: string, content: Node, className = 'table-scroll'): HTMLDivElement {
  return h('div', { class: className, tabindex: 0, role: 'region', 'aria-label': label }, content);
}

/**
 * A layer or tensor name ("res2a/shortcut/kernel") that may wrap after each slash, so a narrow
 * panel wraps the name inside its column instead of pushing the table wider than the panel.
 */
export function wrappableName(name: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  name.split('/').forEach((part, i, parts) => {
    fragment.append(i < parts.length - 1 ? `${part}/` : part);
    if (i < parts.length - 1) fragment.append(document.createElement('wbr'));
  });
  return fragment;
}

/** "14×14×64 → 14×14×256", wrapping after the arrow when the column is narrow, never inside a shape. */
export function shapeChange(from: string, to: string): (Node | string)[] {
  return [h('span', { class: 'nowrap' }, `${from}\u00a0→`), ' ', h('span', { class: 'nowrap' }, to)];
}
