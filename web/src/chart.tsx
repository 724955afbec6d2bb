/**
 * Progress of a metric over time, drawn as SVG: the values from baseline on, the target as a
 * line, the deadline marked. The chart has a text alternative; the same data is in a table.
 */
import { dayNumber, formatAmount, formatDate } from './format.js';

export interface Point {
  date: string;
  value: number;
  label: string;
}

const W = 640;
const H = 260;
const PAD = { left: 100, right: 20, top: 24, bottom: 40 };

/** A round number at or above `v` for the top of the axis: 10.5e9 → 1.5e10, 3.15 → 3.5. */
export function niceCeiling(v: number): number {
  if (!(v > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  return (Math.ceil((v / mag) * 2) / 2) * mag;
}

export function chartSummary(
  points: readonly Point[],
  target: number,
  unit: string,
  deadline: string | null,
): string {
  const by = deadline ? ` by ${formatDate(deadline)}` : '';
  if (points.length === 0)
    return `No value reported yet; the target is ${formatAmount(target, unit)}${by}.`;
  const first = points[0] as Point;
  const last = points[points.length - 1] as Point;
  if (points.length === 1) {
    return `${first.label} ${formatAmount(first.value, unit)} on ${formatDate(first.date)}; no progress reported since. The target is ${formatAmount(target, unit)}${by}.`;
  }
  const pct =
    points.length > 1 && target !== first.value
      ? ` That is ${Math.round(((last.value - first.value) / (target - first.value)) * 100)}% of the way from the baseline.`
      : '';
  return (
    `From ${formatAmount(first.value, unit)} on ${formatDate(first.date)} to ${formatAmount(last.value, unit)} on ` +
    `${formatDate(last.date)}; the target is ${formatAmount(target, unit)}${by}.${pct}`
  );
}

export function ProgressChart(props: {
  title: string;
  points: readonly Point[];
  target: number;
  unit: string;
  deadline: string | null;
}) {
  const { points, target, unit, deadline } = props;
  const dates = points.map((p) => dayNumber(p.date));
  if (deadline) dates.push(dayNumber(deadline));
  const x0 = Math.min(...dates, dayNumber(points[0]?.date ?? deadline ?? '2000-01-01'));
  const x1Raw = Math.max(...dates, x0 + 1);
  const x1 = x1Raw === x0 ? x0 + 1 : x1Raw;
  const values = [...points.map((p) => p.value), target];
  const y0 = Math.min(0, ...values);
  const y1 = niceCeiling(Math.max(...values) * 1.05);
  const sx = (d: number): number => PAD.left + ((d - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (v: number): number =>
    H - PAD.bottom - ((v - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const line = points
    .map((p) => `${sx(dayNumber(p.date)).toFixed(1)},${sy(p.value).toFixed(1)}`)
    .join(' ');
  const summary = chartSummary(points, target, unit, deadline);
  const ticks = [y0, (y0 + y1) / 2, y1];
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="chart-title"
        aria-describedby="chart-desc"
      >
        <title id="chart-title">{props.title}</title>
        <desc id="chart-desc">{summary}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} class="grid" />
            <text x={PAD.left - 6} y={sy(t) + 4} text-anchor="end" class="axis-label">
              {formatAmount(t, unit)}
            </text>
          </g>
        ))}
        <line
          x1={PAD.left}
          x2={W - PAD.right}
          y1={sy(target)}
          y2={sy(target)}
          class="target-line"
        />
        <text x={W - PAD.right} y={sy(target) - 6} text-anchor="end" class="axis-label">
          Target {formatAmount(target, unit)}
        </text>
        {deadline && (
          <g>
            <line
              x1={sx(dayNumber(deadline))}
              x2={sx(dayNumber(deadline))}
              y1={PAD.top}
              y2={H - PAD.bottom}
              class="deadline-line"
            />
            <text
              x={sx(dayNumber(deadline)) - 4}
              y={H - PAD.bottom + 28}
              text-anchor="end"
              class="axis-label"
            >
              Deadline {formatDate(deadline)}
            </text>
          </g>
        )}
        {points.length > 1 && <polyline points={line} class="progress-line" />}
        {points.map((p) => (
          <circle
            key={`${p.date}-${p.value}`}
            cx={sx(dayNumber(p.date))}
            cy={sy(p.value)}
            r="5"
            class="progress-point"
          />
        ))}
        <text x={PAD.left} y={H - PAD.bottom + 16} class="axis-label">
          {formatDate(points[0]?.date ?? '')}
        </text>
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
