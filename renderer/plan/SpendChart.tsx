import type { SpendByDay } from '../../shared/ipc-contract.ts';
import { formatDay, formatMoney } from '../format.ts';
import { niceMax, spendSeries } from './spend-series.ts';

const W = 760;
const H = 220;
const PAD = { left: 64, right: 12, top: 14, bottom: 34 };

/**
 * Spend per day across the file's date range, drawn by hand in SVG: a day with no rows is a red
 * hatched gap, a day above three times the median is an amber spike, so a person sees either
 * before committing it.
 */
export function SpendChart(props: { data: SpendByDay }) {
  const series = spendSeries(props.data);
  const { points } = series;
  if (points.length === 0) return <p className="muted">No valid rows to chart.</p>;
  const top = niceMax(series.max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / points.length;
  const barW = Math.max(1, Math.min(28, slot * 0.72));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const labelEvery = Math.max(1, Math.ceil(points.length / 10));
  const currency = props.data.currency;

  return (
    <figure className="chart" data-testid="spend-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Spend per day, ${points.length} days`} preserveAspectRatio="xMidYMid meet">
        <defs>
          <pattern id="gap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#fdecea" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#d64545" strokeWidth="2" />
          </pattern>
        </defs>
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} className="grid-line" />
            <text x={PAD.left - 8} y={y(top * f) + 4} textAnchor="end" className="axis-label">
              {formatMoney(String(top * f), null).replace(/\.00$/, '')}
            </text>
          </g>
        ))}
        {series.median > 0 && (
          <line x1={PAD.left} x2={W - PAD.right} y1={y(series.median)} y2={y(series.median)} className="median-line">
            <title>Median day: {formatMoney(String(series.median), currency)}</title>
          </line>
        )}
        {points.map((p, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          if (p.missing) {
            return (
              <rect
                key={p.date}
                x={x}
                y={PAD.top}
                width={barW}
                height={plotH}
                fill="url(#gap-hatch)"
                className="bar-missing"
                data-date={p.date}
              >
                <title>{formatDay(p.date)}: no rows in the file</title>
              </rect>
            );
          }
          return (
            <rect
              key={p.date}
              x={x}
              y={y(p.spend)}
              width={barW}
              height={Math.max(1, PAD.top + plotH - y(p.spend))}
              className={p.spike ? 'bar-spike' : 'bar'}
              data-date={p.date}
            >
              <title>
                {formatDay(p.date)}: {formatMoney(String(p.spend), currency)} · {p.rows} rows{p.spike ? ' · spike' : ''}
              </title>
            </rect>
          );
        })}
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text key={p.date} x={PAD.left + i * slot + slot / 2} y={H - 12} textAnchor="middle" className="axis-label">
              {p.date.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="chart-legend">
        <span>
          <i className="swatch bar" /> spend per day{currency ? ` (${currency})` : ''}
        </span>
        <span>
          <i className="swatch spike" /> spike (&gt; 3× median)
        </span>
        <span>
          <i className="swatch gap" /> missing day
        </span>
      </figcaption>
      {(series.missingDays.length > 0 || series.spikeDays.length > 0) && (
        <ul className="chart-notes" data-testid="chart-notes">
          {series.missingDays.length > 0 && (
            <li className="bad-text">
              {series.missingDays.length === 1 ? 'A day has' : `${series.missingDays.length} days have`} no rows:{' '}
              {series.missingDays.map(formatDay).join(', ')}. Check the export's date range before uploading.
            </li>
          )}
          {series.spikeDays.length > 0 && (
            <li className="warn-text">Unusually high spend on {series.spikeDays.map(formatDay).join(', ')}.</li>
          )}
        </ul>
      )}
    </figure>
  );
}
