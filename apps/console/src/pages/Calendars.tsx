import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { problemText, type Session } from '../session';

type CalendarYear = Schemas['CalendarYear'];
type Draft = Schemas['CalendarDraft'];
type Recomputation = Schemas['CalendarRecomputation'];

/**
 * Calendar publication (docs/calendars.md): the year in force and its versions (official or provisional), a draft
 * from the statutory rules with what it cannot know, publishing the draft as provisional (national layer first, then
 * Xinjiang), and the clocks the publication moves: before, the running clocks waiting for an unpublished year (the
 * SLA board's `calendarMissing`); after, the worker's recomputation of the year (clocks looked at and moved).
 */
export function Calendars({ session }: { session: Session }) {
  const { t } = useI18n();
  const [yearText, setYearText] = useState('');
  const [year, setYear] = useState<number | null>(null);
  const [inForce, setInForce] = useState<CalendarYear | null>(null);
  const [notPublished, setNotPublished] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [waiting, setWaiting] = useState<number | null>(null);
  const [recomputations, setRecomputations] = useState<Recomputation[]>([]);
  const [message, setMessage] = useState<{ text: string; refused: boolean } | null>(null);
  /** Bumped after a publication: the recomputations are followed again. */
  const [round, setRound] = useState(0);

  const loadYear = useCallback(
    async (y: number) => {
      const current = await session.client.GET('/v1/calendar/{year}', { params: { path: { year: y } } });
      setInForce(current.data ?? null);
      setNotPublished(current.data ? null : problemText(current.error));
      const board = await session.client.GET('/v1/ops/sla', { params: { query: { limit: 1 } } });
      setWaiting(board.data ? board.data.offices.reduce((sum, o) => sum + o.calendarMissing, 0) : null);
      const recomputed = await session.client.GET('/v1/calendar/{year}/recomputation', {
        params: { path: { year: y } },
      });
      const items = recomputed.data?.items ?? [];
      setRecomputations(items);
      return items;
    },
    [session],
  );

  useEffect(() => {
    if (year === null) return;
    // Follow the recomputations until the worker has finished them.
    let stop = false;
    let timer: number | undefined;
    const poll = async () => {
      const items = await loadYear(year);
      if (!stop && items.some((item) => item.state !== 'done')) timer = window.setTimeout(() => void poll(), 1000);
    };
    void poll();
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [year, round, loadYear]);

  const show = (event: FormEvent) => {
    event.preventDefault();
    setDraft(null);
    setMessage(null);
    setYear(Number(yearText));
  };

  const makeDraft = async () => {
    if (year === null) return;
    const { data, error } = await session.client.POST('/v1/calendar/{year}/draft', { params: { path: { year } } });
    if (data) setDraft(data);
    else setMessage({ text: problemText(error), refused: true });
  };

  const publish = async () => {
    if (year === null || !draft) return;
    // The national layer first: a Xinjiang layer is checked against its national year.
    for (const layer of [draft.national, draft.xinjiang]) {
      const { data, error } = await session.client.PUT('/v1/calendar/{year}', {
        params: { path: { year } },
        body: { ...layer, status: 'provisional' },
      });
      if (!data) return setMessage({ text: `${layer.region}: ${problemText(error)}`, refused: true });
      setMessage({
        text: `${t('published')}: ${data.region} v${data.version} (${t(`status_${data.status}`)})`,
        refused: false,
      });
    }
    setDraft(null);
    setRound(round + 1);
  };

  return (
    <section aria-labelledby="calendars-title">
      <h2 id="calendars-title">{t('calendars')}</h2>
      <form className="filters" onSubmit={show}>
        <label>
          {t('year')}
          <input
            type="number"
            min={1949}
            max={9999}
            required
            value={yearText}
            onChange={(e) => setYearText(e.target.value)}
          />
        </label>
        <button type="submit">{t('apply')}</button>
      </form>
      {message && <p role={message.refused ? 'alert' : 'status'}>{message.text}</p>}
      {year !== null && (
        <>
          <h3>
            {t('inForce')} {year}
          </h3>
          {inForce ? (
            <>
              <p>
                {inForce.provisional ? t('status_provisional') : t('status_official')} · {t('holidays')}{' '}
                {inForce.holidays.length} · {t('makeUpWorkdays')} {inForce.makeUpWorkdays.length}
              </p>
              <table className="versions">
                <caption>{t('versions')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('region')}</th>
                    <th scope="col">{t('version')}</th>
                    <th scope="col">{t('state')}</th>
                    <th scope="col">{t('publishedBy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {inForce.versions.map((v) => (
                    <tr key={`${v.region}/${v.version}`} data-status={v.status}>
                      <td>{v.region}</td>
                      <td>{v.version}</td>
                      <td>{t(`status_${v.status}`)}</td>
                      <td>
                        {v.publishedBy} ·{' '}
                        <time dateTime={v.publishedAt}>{new Date(v.publishedAt).toLocaleString()}</time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p className="muted">{notPublished}</p>
          )}
          <p className="waiting">
            {t('clocksWaiting')}: <strong>{waiting ?? '—'}</strong>
          </p>
          <button type="button" onClick={() => void makeDraft()}>
            {t('draft')}
          </button>
          {draft && (
            <section aria-labelledby="draft-title" className="draft">
              <h3 id="draft-title">
                {t('draft')} {draft.year}
              </h3>
              {[draft.national, draft.xinjiang].map((layer) => (
                <table key={layer.region}>
                  <caption>
                    {layer.region} · {layer.source.title}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('date')}</th>
                      <th scope="col">{t('holidays')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {layer.holidays.map((h) => (
                      <tr key={h.date}>
                        <td>{h.date}</td>
                        <td>{h.name}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ))}
              <h4>{t('cannotKnow')}</h4>
              <ul>
                {draft.cannotKnow.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              <button type="button" onClick={() => void publish()}>
                {t('publishProvisional')}
              </button>
            </section>
          )}
          <table className="recomputations">
            <caption>{t('recomputations')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('region')}</th>
                <th scope="col">{t('version')}</th>
                <th scope="col">{t('state')}</th>
                <th scope="col">{t('clocksLookedAt')}</th>
                <th scope="col">{t('clocksMoved')}</th>
                <th scope="col">{t('clocksFailed')}</th>
              </tr>
            </thead>
            <tbody>
              {recomputations.map((r) => (
                <tr key={r.id} data-state={r.state} data-region={r.region}>
                  <td>{r.region}</td>
                  <td>{r.version}</td>
                  <td>{t(`recomputation_${r.state}`)}</td>
                  <td>
                    {r.done}
                    {r.total === null ? '' : ` / ${r.total}`}
                  </td>
                  <td className="moved">{r.changed}</td>
                  <td>{r.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
