import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { href } from '../route';
import { problemText, type Session } from '../session';

type Task = Schemas['Task'];
interface Filters {
  itemCode: string;
  step: string;
  dueBefore: string;
  overdue: boolean;
  claimedByMe: boolean;
}
const NO_FILTERS: Filters = { itemCode: '', step: '', dueBefore: '', overdue: false, claimedByMe: false };

/** The reviewer inbox: the server's own filters and keyset pages (a cursor per page, never an offset). */
export function Inbox({ session }: { session: Session }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ items: Task[]; nextCursor: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  const load = useCallback(async () => {
    const { data, error: problem } = await session.client.GET('/v1/tasks', {
      params: {
        query: {
          ...(applied.itemCode ? { itemCode: applied.itemCode } : {}),
          ...(applied.step ? { step: applied.step } : {}),
          ...(applied.dueBefore ? { dueBefore: new Date(applied.dueBefore).toISOString() } : {}),
          ...(applied.overdue ? { overdue: 'true' as const } : {}),
          ...(applied.claimedByMe ? { claimedByMe: 'true' as const } : {}),
          ...(cursor ? { cursor } : {}),
          limit: 50,
        },
      },
    });
    if (data) {
      setPage(data);
      setError(null);
    } else setError(problemText(problem));
  }, [session, applied, cursor]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(filters);
    setCursors([undefined]);
  };

  return (
    <section aria-labelledby="inbox-title">
      <h2 id="inbox-title">{t('inbox')}</h2>
      <form className="filters" onSubmit={submit} aria-label={t('filters')}>
        <label>
          {t('itemCode')}
          <input
            name="itemCode"
            value={filters.itemCode}
            placeholder="BPS-064"
            onChange={(e) => setFilters({ ...filters, itemCode: e.target.value.trim() })}
          />
        </label>
        <label>
          {t('step')}
          <input name="step" value={filters.step} onChange={(e) => setFilters({ ...filters, step: e.target.value })} />
        </label>
        <label>
          {t('dueBefore')}
          <input
            type="date"
            name="dueBefore"
            value={filters.dueBefore}
            onChange={(e) => setFilters({ ...filters, dueBefore: e.target.value })}
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={filters.overdue}
            onChange={(e) => setFilters({ ...filters, overdue: e.target.checked })}
          />
          {t('overdueOnly')}
        </label>
        <label>
          <input
            type="checkbox"
            checked={filters.claimedByMe}
            onChange={(e) => setFilters({ ...filters, claimedByMe: e.target.checked })}
          />
          {t('claimedByMe')}
        </label>
        <button type="submit">{t('apply')}</button>
      </form>
      {error && <p role="alert">{error}</p>}
      {!page && !error && <p>{t('loading')}</p>}
      {page && page.items.length === 0 && <p>{t('noTasks')}</p>}
      {page && page.items.length > 0 && (
        <table className="tasks">
          <thead>
            <tr>
              <th scope="col">{t('tracking')}</th>
              <th scope="col">{t('itemCode')}</th>
              <th scope="col">{t('step')}</th>
              <th scope="col">{t('due')}</th>
              <th scope="col">{t('claimedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((task) => (
              <tr key={task.id} data-case={task.caseId} data-step={task.step}>
                <td>
                  <a href={href({ page: 'task', id: task.id })}>{task.trackingNumber}</a>
                </td>
                <td>{task.itemCode}</td>
                <td>{task.step}</td>
                <td>
                  {task.dueAt ? new Date(task.dueAt).toLocaleString() : '—'}
                  {task.overdue && <strong className="late"> {t('overdue')}</strong>}
                </td>
                <td>{task.claimedBy ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="pages">
        {cursors.length > 1 && (
          <button type="button" onClick={() => setCursors([undefined])}>
            {t('firstPage')}
          </button>
        )}
        {page?.nextCursor && (
          <button type="button" onClick={() => setCursors([...cursors, page.nextCursor ?? undefined])}>
            {t('nextPage')}
          </button>
        )}
      </nav>
    </section>
  );
}
