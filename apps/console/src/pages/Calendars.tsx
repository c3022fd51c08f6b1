import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { problemText, type Session } from '../session';

type CalendarYear = Schemas['CalendarYear'];
type Draft = Schemas['CalendarDraft'];
type Recomputation = Schemas['CalendarRecomputation'];
type Preview = Schemas['CalendarPreview'];
type Layer = Draft['national'];

/** `2027-01-01 元旦` a line, as the notice lists its days; a line without a name keeps the date as its name. */
const days = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [date = '', ...name] = line.split(/\s+/);
      return { date, name: name.join(' ') || date };
    });

/** The official notice as typed in, as `PUT /v1/calendar/{year}` takes it. */
interface Notice {
  region: Layer['region'];
  holidays: string;
  makeUpWorkdays: string;
  restDayOverrides: string;
  issuer: string;
  title: string;
  number: string;
  issuedOn: string;
  url: string;
  tag: string;
  refs: string;
}

const EMPTY_NOTICE: Notice = {
  region: 'national',
  holidays: '',
  makeUpWorkdays: '',
  restDayOverrides: '',
  issuer: '',
  title: '',
  number: '',
  issuedOn: '',
  url: '',
  tag: 'V',
  refs: '',
};

/**
 * How well the entry is backed (docs/domain.md §0.1; the server checks the tag, `CALENDAR.INVALID` otherwise): a
 * notice typed in from its full text is `V`.
 */
const EVIDENCE_TAGS = ['V', 'S', 'R', 'G', 'unknown'] as const;

const noticeBody = (n: Notice): Layer => ({
  region: n.region,
  status: 'official',
  holidays: days(n.holidays),
  makeUpWorkdays: days(n.makeUpWorkdays),
  restDayOverrides: days(n.restDayOverrides),
  source: {
    issuer: n.issuer,
    title: n.title,
    ...(n.number ? { number: n.number } : {}),
    ...(n.issuedOn ? { issuedOn: n.issuedOn } : {}),
    ...(n.url ? { url: n.url } : {}),
  },
  evidence: {
    tag: n.tag,
    refs: n.refs
      .split('\n')
      .map((r) => r.trim())
      .filter((r) => r !== ''),
  },
});

/**
 * Calendar publication (docs/calendars.md): the year in force and its versions (official or provisional), a draft
 * from the statutory rules with what it cannot know, publishing the draft as provisional (national layer first, then
 * Xinjiang), and the clocks the publication moves: before, the running clocks waiting for an unpublished year (the
 * SLA board's `calendarMissing`); after, the worker's recomputation of the year (clocks looked at and moved).
 * An official notice is typed in, previewed (`POST /v1/calendar/{year}/preview`: the version it would be and the
 * running clocks it would move) and then published as official.
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
  const [notice, setNotice] = useState<Notice>(EMPTY_NOTICE);
  const [preview, setPreview] = useState<Preview | null>(null);
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
    setPreview(null);
    setMessage(null);
    setYear(Number(yearText));
  };

  const field = (key: keyof Notice) => ({
    value: notice[key],
    onChange: (e: { target: { value: string } }) => {
      setNotice({ ...notice, [key]: e.target.value });
      // A changed notice must be previewed again before it is published.
      setPreview(null);
    },
  });

  const previewNotice = async () => {
    if (year === null) return;
    const { data, error } = await session.client.POST('/v1/calendar/{year}/preview', {
      params: { path: { year } },
      body: noticeBody(notice),
    });
    setPreview(data ?? null);
    setMessage(data ? null : { text: problemText(error), refused: true });
  };

  const publishNotice = async (event: FormEvent) => {
    event.preventDefault();
    if (year === null || !preview) return;
    const { data, error } = await session.client.PUT('/v1/calendar/{year}', {
      params: { path: { year } },
      body: noticeBody(notice),
    });
    if (!data) return setMessage({ text: problemText(error), refused: true });
    setMessage({
      text: `${t('published')}: ${data.region} v${data.version} (${t(`status_${data.status}`)})`,
      refused: false,
    });
    setPreview(null);
    setNotice(EMPTY_NOTICE);
    setRound(round + 1);
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
          <form className="notice" aria-labelledby="notice-title" onSubmit={(e) => void publishNotice(e)}>
            <h3 id="notice-title">{t('officialNotice')}</h3>
            <label>
              {t('region')}
              <select
                value={notice.region}
                onChange={(e) => {
                  setNotice({ ...notice, region: e.target.value as Layer['region'] });
                  setPreview(null);
                }}
              >
                <option value="national">national</option>
                <option value="xinjiang">xinjiang</option>
              </select>
            </label>
            <p className="muted" id="notice-hint">
              {t('noticeHint')}
            </p>
            <label>
              {t('holidays')}
              <textarea name="holidays" rows={6} aria-describedby="notice-hint" required {...field('holidays')} />
            </label>
            <label>
              {t('makeUpWorkdays')}
              <textarea name="makeUpWorkdays" rows={3} aria-describedby="notice-hint" {...field('makeUpWorkdays')} />
            </label>
            <label>
              {t('restDayOverrides')}
              <textarea
                name="restDayOverrides"
                rows={2}
                aria-describedby="notice-hint"
                {...field('restDayOverrides')}
              />
            </label>
            <label>
              {t('issuer')}
              <input name="issuer" required {...field('issuer')} />
            </label>
            <label>
              {t('noticeTitle')}
              <input name="title" required {...field('title')} />
            </label>
            <label>
              {t('noticeNumber')}
              <input name="number" {...field('number')} />
            </label>
            <label>
              {t('issuedOn')}
              <input name="issuedOn" type="date" {...field('issuedOn')} />
            </label>
            <label>
              {t('noticeUrl')}
              <input name="url" type="url" {...field('url')} />
            </label>
            <label>
              {t('evidenceTag')}
              <select name="tag" {...field('tag')}>
                {EVIDENCE_TAGS.map((tag) => (
                  <option key={tag} value={tag}>
                    {tag}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('evidenceRefs')}
              <textarea name="refs" rows={2} required {...field('refs')} />
            </label>
            <button type="button" onClick={() => void previewNotice()}>
              {t('preview')}
            </button>
            {preview && (
              <section aria-labelledby="preview-title" className="preview">
                <h4 id="preview-title">{t('previewTitle')}</h4>
                <dl>
                  <dt>{t('wouldBeVersion')}</dt>
                  <dd>
                    {preview.region} v{preview.version} ({t(`status_${preview.status}`)})
                  </dd>
                  <dt>{t('clocksCandidates')}</dt>
                  <dd className="candidates">{preview.clocks.candidates}</dd>
                  <dt>{t('clocksWouldMove')}</dt>
                  <dd className="would-move">{preview.clocks.moved}</dd>
                  <dt>{t('clocksWouldGetDueDate')}</dt>
                  <dd className="due-date-given">{preview.clocks.dueDateGiven}</dd>
                  <dt>{t('clocksStillMissing')}</dt>
                  <dd className="still-missing">{preview.clocks.stillMissing}</dd>
                </dl>
                <button type="submit">{t('publishOfficial')}</button>
              </section>
            )}
          </form>
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
