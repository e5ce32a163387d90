// uPlot draws on a canvas, which cannot use CSS variables, so the theme's colours are read from
// the computed style and the charts are rebuilt when VS Code switches theme.

export interface ChartTheme {
  foreground: string;
  grid: string;
  font: string;
  loss: string;
  batch: string;
  validation: string;
  test: string;
}

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const family = color('--vscode-font-family', 'system-ui, sans-serif');
  return {
    foreground: color('--vscode-charts-foreground', color('--vscode-foreground', '#cccccc')),
    grid: color('--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)'),
    font: `11px ${family}`,
    loss: color('--vscode-charts-red', '#f14c4c'),
    batch: color('--vscode-charts-blue', '#3794ff'),
    validation: color('--vscode-charts-green', '#89d185'),
    test: color('--vscode-charts-orange', '#d18616'),
  };
}

/** Calls `changed` when VS Code swaps theme: it rewrites the body's classes and the root's variables. */
export function watchTheme(changed: () => void): void {
  const observer = new MutationObserver(changed);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

/**
 * One colour per compared run, kept across the comparison's charts and legend: the theme's chart
 * colours first, then two fixed ones (a comparison holds at most eight runs).
 */
export function runPalette(): string[] {
  const style = getComputedStyle(document.body);
  const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return [
    color('--vscode-charts-blue', '#3794ff'), color('--vscode-charts-orange', '#d18616'), color('--vscode-charts-green', '#89d185'),
    color('--vscode-charts-purple', '#b180d7'), color('--vscode-charts-red', '#f14c4c'), color('--vscode-charts-yellow', '#cca700'),
    '#4fc1c9', '#e07ac0',
  ];
}
