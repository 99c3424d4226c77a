import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { clock, fixed } from '../format.js';

/**
 * One time chart (uPlot) of a /timeseries answer, with the same numbers as a table for screen readers (and tests):
 * series = [{ label, value: point => number|null, color }].
 */
export function Chart({ title, name, points, series }) {
  const host = useRef(null);
  const plot = useRef(null);
  const data = [points.map((p) => Date.parse(p.start) / 1000), ...series.map((s) => points.map(s.value))];

  useEffect(() => {
    const element = host.current;
    const options = {
      width: element.clientWidth || 480,
      height: 180,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false, points: { show: points.length < 40 } }))],
      axes: [{ stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,.2)' } }, { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,.2)' }, size: 56 }],
    };
    plot.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.current && plot.current.setSize({ width: element.clientWidth || 480, height: 180 }));
    resize.observe(element);
    return () => { resize.disconnect(); plot.current.destroy(); plot.current = null; };
  }, [series.length]);

  useEffect(() => { plot.current && plot.current.setData(data); });

  return (
    <figure class="chart" data-chart={name}>
      <figcaption>{title}</figcaption>
      <div ref={host} class="chart-plot" aria-hidden="true" />
      <table class="visually-hidden">
        <caption>{title}</caption>
        <thead><tr><th>Bucket start</th>{series.map((s) => <th>{s.label}</th>)}</tr></thead>
        <tbody>
          {points.map((p) => (
            <tr data-start={p.start}>
              <td>{clock(Date.parse(p.start))}</td>
              {series.map((s) => <td>{s.value(p) == null ? '' : fixed(s.value(p), Number.isInteger(s.value(p)) ? 0 : 1)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Volume and errors per bucket, and response-time percentiles, of one /timeseries answer. */
export function Charts({ series }) {
  if (!series) return <section class="charts" aria-busy="true" />;
  const width = series.bucketSeconds >= 3600 ? series.bucketSeconds / 3600 + ' h' : series.bucketSeconds / 60 + ' min';
  return (
    <section class="charts" aria-label="Charts">
      <Chart title={'Events per ' + width} name="volume" points={series.points}
        series={[{ label: 'events', value: (p) => p.count, color: '#2563eb' }, { label: 'errors', value: (p) => p.errors, color: '#dc2626' }]} />
      <Chart title={'Response time per ' + width + ' (ms)'} name="latency" points={series.points}
        series={[
          { label: 'p50', value: (p) => p.p50ResponseTime ?? null, color: '#16a34a' },
          { label: 'p95', value: (p) => p.p95ResponseTime ?? null, color: '#d97706' },
          { label: 'p99', value: (p) => p.p99ResponseTime ?? null, color: '#9333ea' },
        ]} />
      {series.truncated && <p class="note">Computed from the first matching events only: narrow the filter or the range for exact figures.</p>}
    </section>
  );
}
