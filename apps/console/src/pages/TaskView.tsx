import { useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { href } from '../route';
import { problemText, type Session } from '../session';
import { Clocks } from './Clocks';
import { DecisionForm } from './DecisionForm';

type Detail = Schemas['TaskDetail'];
type Event = Schemas['Event'];

/** Lists of the application as submitted, shown as they came (materials, household members). */
function listOf(application: unknown, key: string): Record<string, unknown>[] {
  const value = (application as Record<string, unknown> | null)?.[key];
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One task: the case, the household and its means, the materials, the timeline, the clocks, and the decision. */
export function TaskView({ session, taskId }: { session: Session; taskId: string }) {
  const { t } = useI18n();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [events, setEvents] = useState<Event[]>([]);
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string } | null>(null);

  const load = useCallback(async () => {
    const { data, error } = await session.client.GET('/v1/tasks/{id}', { params: { path: { id: taskId } } });
    if (!data) return setMessage({ kind: 'alert', text: problemText(error) });
    setDetail(data);
    const timeline = await session.client.GET('/v1/staff/cases/{id}/events', {
      params: { path: { id: data.case.id } },
    });
    setEvents(timeline.data?.items ?? []);
    return undefined;
  }, [session, taskId]);

  useEffect(() => {
    void load();
  }, [load]);

  const claimOrRelease = async (action: 'claim' | 'release') => {
    const path = action === 'claim' ? '/v1/tasks/{id}/claim' : '/v1/tasks/{id}/release';
    const { data, error } = await session.client.POST(path, { params: { path: { id: taskId } } });
    setMessage(
      data
        ? { kind: 'status', text: t(action === 'claim' ? 'claimed' : 'released') }
        : { kind: 'alert', text: `${t('refused')}: ${problemText(error)}` },
    );
    await load();
  };

  if (!detail) return <p role={message ? 'alert' : undefined}>{message?.text ?? t('loading')}</p>;
  const { task, applicant } = detail;
  const members = listOf(applicant.application, 'household');
  const materials = listOf(applicant.application, 'materials');
  const open = task.status === 'open';

  return (
    <article aria-labelledby="task-title">
      <p>
        <a href={href({ page: 'inbox' })}>← {t('back')}</a>
      </p>
      <h2 id="task-title">
        {detail.case.trackingNumber} · {task.step}
      </h2>
      {message && (
        <p role={message.kind} className={message.kind}>
          {message.text}
        </p>
      )}
      <section aria-labelledby="summary-title">
        <h3 id="summary-title">{t('caseSummary')}</h3>
        <dl className="facts">
          <dt>{t('itemCode')}</dt>
          <dd>{detail.case.itemCode}</dd>
          <dt>{t('state')}</dt>
          <dd>
            {detail.case.status} ({detail.case.currentSteps.join(', ')})
          </dd>
          <dt>{t('applicant')}</dt>
          <dd>
            {applicant.name ?? '—'} {applicant.idNumber ?? ''}
          </dd>
          <dt>{t('claimedBy')}</dt>
          <dd>{task.claimedBy ?? '—'}</dd>
        </dl>
        {open && (
          <p className="actions">
            <button type="button" onClick={() => void claimOrRelease('claim')}>
              {t('claim')}
            </button>
            <button type="button" onClick={() => void claimOrRelease('release')}>
              {t('release')}
            </button>
          </p>
        )}
      </section>
      <section aria-labelledby="household-title">
        <h3 id="household-title">{t('household')}</h3>
        <table>
          <tbody>
            {members.map((member, index) => (
              <tr key={index}>
                {Object.entries(member).map(([key, value]) => (
                  <td key={key}>
                    <span className="muted">{key}</span> {text(value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="facts">
          {Object.entries(detail.case.facts).map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{text(value)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="materials-title">
        <h3 id="materials-title">{t('materials')}</h3>
        <ul>
          {materials.length === 0 && <li>{t('none')}</li>}
          {materials.map((material, index) => (
            <li key={index}>{text(material['name'] ?? material['type'] ?? material)}</li>
          ))}
        </ul>
      </section>
      <Clocks session={session} caseId={detail.case.id} />
      <section aria-labelledby="timeline-title">
        <h3 id="timeline-title">{t('timeline')}</h3>
        <ol className="timeline">
          {events.map((event) => (
            <li key={event.seq}>
              <time dateTime={event.occurredAt}>{new Date(event.occurredAt).toLocaleString()}</time> {event.type} ·{' '}
              {event.actor}
            </li>
          ))}
        </ol>
      </section>
      {open && (
        <DecisionForm
          session={session}
          task={task}
          onDecided={(text) => setMessage({ kind: 'status', text })}
          onRefused={(text) => setMessage({ kind: 'alert', text: `${t('refused')}: ${text}` })}
        />
      )}
    </article>
  );
}
