// Colours the canvases use (the stylesheet has the same values as CSS variables). Dark, calm,
// and distinguishable: eight muted trace hues that cycle over the montage.

export const TRACE_COLORS: readonly string[] = Object.freeze([
  '#7aa2f7', // blue
  '#9ece6a', // green
  '#e0af68', // amber
  '#bb9af7', // violet
  '#7dcfff', // cyan
  '#f7768e', // rose
  '#73daca', // teal
  '#ff9e64', // orange
]);

export function traceColor(channel: number): string {
  return TRACE_COLORS[channel % TRACE_COLORS.length];
}

export const THEME = Object.freeze({
  background: '#11151c',
  axis: '#8a93a3',
  grid: 'rgba(160, 175, 200, 0.08)',
  separator: 'rgba(160, 175, 200, 0.10)',
  zebra: 'rgba(160, 175, 200, 0.025)',
  cursor: 'rgba(230, 235, 245, 0.55)',
  marker: '#e0af68',
  markerUser: '#7dcfff',
  mean: '#e6e9ef',
  font: '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  bandFill: ['rgba(122,162,247,0.05)', 'rgba(122,162,247,0.0)'],
});
