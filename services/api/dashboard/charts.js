// uPlot wrappers. uPlot draws a day of minute data (1,440 points per series) in a few milliseconds.
import uPlot from '/vendor/uplot/uPlot.esm.js';

export const PATTERN_COLOURS = {
  'category-1': '#b71c1c',
  'category-2': '#e65100',
  velocity: '#6a1b9a',
  'imsi-harvesting': '#1565c0',
  scanning: '#00838f',
  'gt-spoofing': '#2e7d32',
  'gt-leasing': '#795548',
  'volume-anomaly': '#546e7a',
};

function width(el) {
  return Math.max(320, Math.floor(el.getBoundingClientRect().width) - 8);
}

/** Alerts opened per bucket, one line per pattern. */
export function alertsChart(el, trend) {
  const patterns = Object.keys(trend.series);
  const data = [trend.times, ...patterns.map((p) => trend.series[p])];
  const series = [{}, ...patterns.map((p) => ({ label: p, stroke: PATTERN_COLOURS[p] ?? '#333', width: 2, points: { show: false } }))];
  return new uPlot({ width: width(el), height: 220, series, axes: [{}, { label: 'alerts opened' }], scales: { x: { time: true } } }, data, el);
}

/** A source's transactions and errors per bucket. */
export function timelineChart(el, points) {
  const data = [points.map((p) => p.t), points.map((p) => p.transactions), points.map((p) => p.errors)];
  return new uPlot(
    {
      width: width(el),
      height: 240,
      series: [
        {},
        { label: 'transactions', stroke: '#0b5fff', fill: 'rgba(11,95,255,.08)', width: 1.5 },
        { label: 'errors', stroke: '#c62828', width: 1.5 },
      ],
      axes: [{}, { label: 'per bucket' }],
      scales: { x: { time: true } },
    },
    data,
    el,
  );
}
