import { useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { problemText, type Session } from '../session';

type History = Schemas['SlaHistory'];
type Forecast = Schemas['Forecast'];

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

/** Points of one series as an SVG polyline, scaled to the chart's box. */
function polyline(values: number[], most: number): string {
  const step = values.length > 1 ? (WIDTH - PAD.left - PAD.right) / (values.length - 1) : 0;
  const y = (v: number) => HEIGHT - PAD.bottom - (v / most) * (HEIGHT - PAD.top - PAD.bottom);
  return values.map((v, i) => `${(PAD.left + i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
}

const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

/**
 * The SLA board over time: late and at-risk clocks per office at the end of each recent day (`GET
 * /v1/ops/sla/history`), drawn as an inline SVG (no chart library: the first load stays small), with the same
 * figures as a table for screen readers and copying.
 */
export function SlaHistoryChart({ session }: { session: Session }) {
  const { t } = useI18n();
  const [history, setHistory] = useState<History | null>(null);
  const [office, setOffice] = useState('all');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void session.client
      .GET('/v1/ops/sla/history', { params: { query: { days: 14 } } })
      .then(({ data, error: problem }) => (data ? setHistory(data) : setError(problemText(problem))));
  }, [session]);

  if (error) return <p role="alert">{error}</p>;
  if (!history) return <p>{t('loading')}</p>;
  const index = office === 'all' ? -1 : Number(office);
  const late = history.points.map((p) => (index < 0 ? p.totals.late : (p.late[index] ?? 0)));
  const atRisk = history.points.map((p) => (index < 0 ? p.totals.atRisk : (p.atRisk[index] ?? 0)));
  const most = Math.max(1, ...late, ...atRisk);
  const name = (i: number) => {
    const o = history.offices[i]!;
    return `${o.office.divisionName ?? o.office.divisionCode} · ${o.department}`;
  };
  const first = history.points[0];
  const last = history.points[history.points.length - 1];
  return (
    <section aria-labelledby="sla-history-title" className="sla-history">
      <h3 id="sla-history-title">{t('slaHistory')}</h3>
      <label>
        {t('office')}{' '}
        <select value={office} onChange={(e) => setOffice(e.target.value)}>
          <option value="all">{t('allOffices')}</option>
          {history.offices.map((_, i) => (
            <option key={i} value={String(i)}>
              {name(i)}
            </option>
          ))}
        </select>
      </label>
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="sla-chart-title"
        data-points={history.points.length}
      >
        <title id="sla-chart-title">
          {`${t('slaHistory')}: ${t('late')} ${late.join(', ')}; ${t('atRisk')} ${atRisk.join(', ')}`}
        </title>
        <line className="axis" x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} />
        <text className="tick" x={PAD.left - 6} y={PAD.top + 4} textAnchor="end">
          {most}
        </text>
        <text className="tick" x={PAD.left - 6} y={HEIGHT - PAD.bottom} textAnchor="end">
          0
        </text>
        {first && (
          <text className="tick" x={PAD.left} y={HEIGHT - 8}>
            {day(first.at)}
          </text>
        )}
        {last && (
          <text className="tick" x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end">
            {day(last.at)}
          </text>
        )}
        <polyline className="series-late" points={polyline(late, most)} />
        <polyline className="series-at-risk" points={polyline(atRisk, most)} />
      </svg>
      <p className="legend">
        <span className="key-late">— {t('late')}</span> <span className="key-at-risk">- - {t('atRisk')}</span>
      </p>
      <details>
        <summary>{t('figures')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('day')}</th>
              <th scope="col">{t('late')}</th>
              <th scope="col">{t('atRisk')}</th>
            </tr>
          </thead>
          <tbody>
            {history.points.map((p, i) => (
              <tr key={p.at}>
                <td>
                  <time dateTime={p.at}>{day(p.at)}</time>
                </td>
                <td>{late[i]}</td>
                <td>{atRisk[i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/** Expected breaches per office in the next working days (`GET /v1/ops/forecast`), as the server computes them. */
export function BreachForecast({ session }: { session: Session }) {
  const { t } = useI18n();
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void session.client
      .GET('/v1/ops/forecast')
      .then(({ data, error: problem }) => (data ? setForecast(data) : setError(problemText(problem))));
  }, [session]);

  if (error) return <p role="alert">{error}</p>;
  if (!forecast) return <p>{t('loading')}</p>;
  return (
    <section aria-labelledby="forecast-title" className="forecast">
      <h3 id="forecast-title">{t('forecast')}</h3>
      <p className="muted">
        {t('forecastBasis')} {forecast.windowStart} – {forecast.asOf} ({forecast.method})
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('office')}</th>
            <th scope="col">{t('openTasks')}</th>
            <th scope="col">{t('overdue')}</th>
            <th scope="col">{t('ratePerDay')}</th>
            <th scope="col">{t('clearanceDays')}</th>
            {forecast.horizons.map((h) => (
              <th scope="col" key={h}>
                {t('breachesWithin')} {h} {t('workingDays')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {forecast.items.map((item) => (
            <tr key={`${item.department}/${item.division}`} data-division={item.division}>
              <td>
                {item.division} · {item.department}
              </td>
              <td>{item.open}</td>
              <td>{item.overdue}</td>
              <td>{item.ratePerDay.toFixed(1)}</td>
              <td>{item.clearanceDays === null ? '—' : item.clearanceDays.toFixed(1)}</td>
              {forecast.horizons.map((h) => (
                <td key={h}>{item.breaches[String(h)] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
