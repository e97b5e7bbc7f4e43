// A small time-series line chart on <canvas> (no library): one line per series, newest point at the
// right edge, a y axis from 0 to a rounded maximum, a legend. Samples are evenly spaced (one per poll).
const PAD = { left: 52, right: 10, top: 10, bottom: 22 };

export const PALETTE = ['#2f6fdb', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#0b7285', '#e67700', '#5c940d'];

export function drawChart(canvas, series, { points, unit }) {
  const ratio = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || canvas.width;
  const cssH = canvas.clientHeight || canvas.height;
  if (canvas.width !== cssW * ratio) {
    canvas.width = cssW * ratio;
    canvas.height = cssH * ratio;
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, cssW, cssH);
  const w = cssW - PAD.left - PAD.right;
  const h = cssH - PAD.top - PAD.bottom;
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  g.font = '11px system-ui, sans-serif';
  g.strokeStyle = '#dde2ea';
  g.fillStyle = '#6b7686';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + h - (h * i) / 4;
    g.beginPath();
    g.moveTo(PAD.left, y);
    g.lineTo(PAD.left + w, y);
    g.stroke();
    g.textAlign = 'right';
    g.fillText(`${human((top * i) / 4)}${unit}`, PAD.left - 6, y + 4);
  }
  g.textAlign = 'left';
  g.fillText(`last ${points} s`, PAD.left, cssH - 6);
  const dx = w / Math.max(1, points - 1);
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    const start = points - s.values.length;
    s.values.forEach((v, i) => {
      const x = PAD.left + (start + i) * dx;
      const y = PAD.top + h - (top > 0 ? (v / top) * h : 0);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
    g.fillStyle = color;
    g.fillRect(PAD.left + 8 + k * 150, PAD.top + 2, 10, 10);
    g.fillStyle = '#1d2430';
    g.fillText(s.label, PAD.left + 22 + k * 150, PAD.top + 11);
  });
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/** 1234 → "1.2K", 5e6 → "5M". */
export function human(v) {
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${trim(v / 1e9)}G`;
  if (abs >= 1e6) return `${trim(v / 1e6)}M`;
  if (abs >= 1e3) return `${trim(v / 1e3)}K`;
  return trim(v);
}

function trim(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
}
