// Applies shared/mutedTextColour to the page: when the theme's description colour is the same as
// its text colour (Light Modern), --muted becomes a readable lighter blend; otherwise it stays the
// theme's descriptionForeground (base.css). Re-run on every theme change.
import { mutedTextColour } from '../shared/mutedTextColour';

export function applyMutedTextColour(): void {
  // High-contrast themes mean every text at full contrast; they keep their own colours.
  if (document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light')) {
    document.body.style.removeProperty('--muted');
    return;
  }
  const theme = getComputedStyle(document.documentElement);
  const read = (name: string) => theme.getPropertyValue(name);
  const muted = mutedTextColour(read('--vscode-foreground'), read('--vscode-descriptionForeground'), read('--vscode-editor-background'));
  // On body, not the root: VS Code rewrites the root's style with the theme's variables, and
  // watchTheme observes that attribute, so writing there would re-trigger this.
  if (muted) document.body.style.setProperty('--muted', muted);
  else document.body.style.removeProperty('--muted');
}
