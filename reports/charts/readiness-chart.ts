// Readiness per clause as a self-contained SVG: the same markup goes into the page (inline) and into
// pdfmake's `svg` node for the PDF report, so both show the identical chart.
export interface ChartBar {
  label: string; // e.g. "4 组织环境"
  value: number; // 0–100
  previous?: number | null;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The bar colour of a readiness figure (also the Word report's bars). */
export function colour(v: number): string {
  if (v >= 85) return '#1e7b3c';
  if (v >= 60) return '#9a6700';
  return '#b3261e';
}

export function readinessChartSvg(
  bars: readonly ChartBar[],
  opts: { title: string; previousLabel?: string; width?: number; font?: string; fontSize?: number },
) {
  const width = opts.width ?? 640;
  // The PDF prints at 12 pt; the page asks for larger text, and rows, bars and margins grow with it.
  const fs = opts.fontSize ?? 12;
  const k = fs / 12;
  const labelW = Math.round(width * 0.34);
  const barW = width - labelW - Math.round(70 * k);
  const rowH = Math.round(26 * k);
  const top = Math.round(30 * k);
  const height = top + bars.length * rowH + 30;
  const font = opts.font ?? 'sans-serif';
  const rows = bars
    .map((b, i) => {
      const y = top + i * rowH;
      const w = Math.round((Math.max(0, Math.min(100, b.value)) / 100) * barW);
      const prev =
        b.previous == null
          ? ''
          : `<line x1="${labelW + Math.round((b.previous / 100) * barW)}" x2="${labelW + Math.round((b.previous / 100) * barW)}" y1="${y + 2}" y2="${y + rowH - 6}" stroke="#102a43" stroke-width="2" stroke-dasharray="3,2"/>`;
      return (
        `<text x="${labelW - 8}" y="${y + Math.round(15 * k)}" text-anchor="end" font-size="${fs}" font-family="${font}" fill="#1c2430">${esc(b.label)}</text>` +
        `<rect x="${labelW}" y="${y + Math.round(4 * k)}" width="${barW}" height="${rowH - Math.round(12 * k)}" fill="#eef1f5"/>` +
        `<rect x="${labelW}" y="${y + Math.round(4 * k)}" width="${w}" height="${rowH - Math.round(12 * k)}" fill="${colour(b.value)}"/>` +
        prev +
        `<text x="${labelW + barW + 6}" y="${y + Math.round(15 * k)}" font-size="${fs}" font-family="${font}" fill="#1c2430">${b.value.toFixed(1)}%</text>`
      );
    })
    .join('');
  const legend = opts.previousLabel
    ? `<line x1="${labelW}" x2="${labelW + 16}" y1="${height - 12}" y2="${height - 12}" stroke="#102a43" stroke-width="2" stroke-dasharray="3,2"/>` +
      `<text x="${labelW + 22}" y="${height - 8}" font-size="${fs - 1}" font-family="${font}" fill="#5b6675">${esc(opts.previousLabel)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(opts.title)}">` +
    `<title>${esc(opts.title)}</title>` +
    `<text x="0" y="${Math.round(16 * k)}" font-size="${fs + 2}" font-weight="bold" font-family="${font}" fill="#102a43">${esc(opts.title)}</text>` +
    rows +
    legend +
    '</svg>'
  );
}
