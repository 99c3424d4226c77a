import { fixed } from '../format.js';

/**
 * An insight's evidence as two bars: the baseline (its mean, with a whisker of one standard deviation) and the
 * current window, with the threshold as a line where the evidence has one.
 */
export function EvidenceChart({ evidence }) {
  const mean = evidence.baselineMean, sd = evidence.baselineStdDev || 0;
  const top = Math.max(evidence.current, mean != null ? mean + sd : 0, evidence.threshold || 0) * 1.15 || 1;
  const y = (v) => 60 - (v / top) * 56;
  const bar = (x, v, cls) => <rect x={x} y={y(v)} width="40" height={Math.max(0.5, 60 - y(v))} class={cls} />;
  return (
    <figure class="evidence">
      <svg viewBox="0 0 150 76" role="img" aria-label={`current ${fixed(evidence.current)} against baseline ${mean == null ? 'none' : fixed(mean)}`}>
        {mean != null && bar(20, mean, 'baseline-bar')}
        {mean != null && sd > 0 && <line x1="40" x2="40" y1={y(mean + sd)} y2={y(Math.max(0, mean - sd))} class="whisker" />}
        {bar(90, evidence.current, 'current-bar')}
        {evidence.threshold > 0 && evidence.metric !== 'eventsPerWindow' && mean == null && <line x1="5" x2="145" y1={y(evidence.threshold)} y2={y(evidence.threshold)} class="threshold" />}
        <text x="40" y="73" text-anchor="middle">baseline</text>
        <text x="110" y="73" text-anchor="middle">now</text>
      </svg>
      <figcaption>
        {evidence.metric}: {fixed(evidence.current)}
        {mean != null && <> vs {fixed(mean)} ± {fixed(sd)}</>}
        {evidence.zScore != null && <> · z {fixed(evidence.zScore)}</>}
        {' '}· {evidence.sampleSize} samples{evidence.baselineWindows != null && <>, {evidence.baselineWindows} baseline windows</>}
      </figcaption>
    </figure>
  );
}
