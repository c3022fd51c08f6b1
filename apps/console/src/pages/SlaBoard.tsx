import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { problemText, type Session } from '../session';
import { BreachForecast, SlaHistoryChart } from './SlaHistory';

/** The fields of the SLA board the page shows (the contract names only its top: docs/operations.md). */
interface Board {
  asOf: string;
  totals: { late: number; atRisk: number };
  offices: {
    department: string;
    office: { divisionCode: string; divisionName: string | null };
    late: { count: number };
    atRisk: { count: number; shortestTimeToBreachSeconds: number | null };
  }[];
  steps: {
    caseId: string;
    trackingNumber: string;
    itemCode: string;
    clock: string;
    state: string;
    office: string;
    dueAt: string;
    provisional: boolean;
    timeToBreachSeconds: number;
  }[];
}

function duration(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  return `${sign}${days}d ${hours}h`;
}

/** Late and at-risk clocks per office, and the steps nearest their breach. */
export function SlaBoard({ session }: { session: Session }) {
  const { t } = useI18n();
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void session.client
      .GET('/v1/ops/sla', { params: { query: { limit: 100 } } })
      .then(({ data, error: problem }) => (data ? setBoard(data as unknown as Board) : setError(problemText(problem))));
  }, [session]);

  if (error) return <p role="alert">{error}</p>;
  if (!board) return <p>{t('loading')}</p>;
  const most = Math.max(1, ...board.offices.map((o) => o.late.count + o.atRisk.count));
  return (
    <section aria-labelledby="sla-title">
      <h2 id="sla-title">{t('sla')}</h2>
      <p>
        {t('totals')}: {t('late')} {board.totals.late} · {t('atRisk')} {board.totals.atRisk} ·{' '}
        <time dateTime={board.asOf}>{new Date(board.asOf).toLocaleString()}</time>
      </p>
      <SlaHistoryChart session={session} />
      <BreachForecast session={session} />
      <table>
        <caption>{t('office')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('office')}</th>
            <th scope="col">{t('late')}</th>
            <th scope="col">{t('atRisk')}</th>
            <th scope="col">{t('timeToBreach')}</th>
            <th scope="col" aria-hidden="true"></th>
          </tr>
        </thead>
        <tbody>
          {board.offices.map((o) => (
            <tr key={`${o.department}/${o.office.divisionCode}`}>
              <td>
                {o.office.divisionName ?? o.office.divisionCode} · {o.department}
              </td>
              <td>{o.late.count}</td>
              <td>{o.atRisk.count}</td>
              <td>
                {o.atRisk.shortestTimeToBreachSeconds === null ? '—' : duration(o.atRisk.shortestTimeToBreachSeconds)}
              </td>
              <td aria-hidden="true">
                <meter min={0} max={most} value={o.late.count + o.atRisk.count} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>{t('clocks')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tracking')}</th>
            <th scope="col">{t('itemCode')}</th>
            <th scope="col">{t('clock')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('due')}</th>
            <th scope="col">{t('timeToBreach')}</th>
          </tr>
        </thead>
        <tbody>
          {board.steps.map((step) => (
            <tr key={`${step.caseId}/${step.clock}`} data-case={step.caseId}>
              <td>{step.trackingNumber}</td>
              <td>{step.itemCode}</td>
              <td>{step.clock}</td>
              <td className={step.state === 'late' ? 'late' : undefined}>
                {step.state === 'late' ? t('late') : t('atRisk')}
              </td>
              <td>
                {new Date(step.dueAt).toLocaleString()}
                {step.provisional && ` (${t('provisional')})`}
              </td>
              <td>{duration(step.timeToBreachSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
