// Time-series charts with uPlot (served from its WebJar, no CDN), with the objective drawn
// as a dashed line.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

/**
 * Draws (or redraws) a chart into holder.
 * @param points [{at, value}] oldest first; value null for a gap
 * @param options {label, unit, objective, objectiveLabel, color, max}
 */
export function lineChart(holder, points, options) {
  const xs = points.map((p) => new Date(p.at).getTime() / 1000);
  const ys = points.map((p) => p.value);
  const objective = points.map(() => options.objective ?? null);
  const data = [xs, ys, objective];
  const width = Math.max(260, holder.clientWidth || 600);
  if (holder.uplot) {
    holder.uplot.setData(data);
    return holder.uplot;
  }
  const chart = new uPlot({
    width,
    height: 220,
    scales: { y: { range: (u, min, max) => [0, Math.max(options.max ?? 0, max ?? 0, options.objective ?? 0) * 1.1 || 1] } },
    axes: [
      { stroke: '#4d5b6a', grid: { stroke: '#e3e8ee' } },
      { stroke: '#4d5b6a', grid: { stroke: '#e3e8ee' }, size: 60, values: (u, values) => values.map(options.format) },
    ],
    series: [
      {},
      { label: options.label, stroke: options.color || '#0b5cad', width: 2, spanGaps: false, points: { show: true, size: 6, fill: options.color || '#0b5cad' }, value: (u, v) => options.format(v) },
      { label: options.objectiveLabel || 'Objective', stroke: '#a4161a', width: 1.5, dash: [6, 4], points: { show: false }, value: (u, v) => options.format(v) },
    ],
  }, data, holder);
  holder.uplot = chart;
  const observer = new ResizeObserver(() => {
    const w = Math.max(260, holder.clientWidth);
    if (Math.abs(w - chart.width) > 4) {
      chart.setSize({ width: w, height: 220 });
    }
  });
  observer.observe(holder);
  chart.observer = observer;
  return chart;
}

export function destroy(holder) {
  if (holder && holder.uplot) {
    holder.uplot.observer.disconnect();
    holder.uplot.destroy();
    holder.uplot = null;
  }
}
