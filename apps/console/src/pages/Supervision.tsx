import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { href } from '../route';
import { problemText, type Session } from '../session';

type Task = Schemas['Task'];

/**
 * The supervisor's page (督办): the office's escalations to acknowledge with what was done, the claimed tasks to
 * hand to another reviewer, and the extension of a case's overall limit. Each action is the server's route; a
 * refusal is shown in the server's words.
 */
export function Supervision({ session }: { session: Session }) {
  const { t } = useI18n();
  const [escalations, setEscalations] = useState<Task[] | null>(null);
  const [claimed, setClaimed] = useState<Task[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [open, held] = await Promise.all([
      session.client.GET('/v1/tasks', { params: { query: { kind: 'escalation', limit: 50 } } }),
      session.client.GET('/v1/tasks', { params: { query: { claimed: 'true', limit: 50 } } }),
    ]);
    if (open.data) setEscalations(open.data.items);
    else setError(problemText(open.error));
    if (held.data) setClaimed(held.data.items.filter((task) => task.kind !== 'escalation'));
    else setError(problemText(held.error));
  }, [session]);

  useEffect(() => {
    void load();
  }, [load]);

  const done = async (message: string) => {
    setError(null);
    setStatus(message);
    await load();
  };

  return (
    <section aria-labelledby="supervision-title">
      <h2 id="supervision-title">{t('supervision')}</h2>
      <p role="status">{status}</p>
      {error && <p role="alert">{error}</p>}
      <section aria-labelledby="escalations-title">
        <h3 id="escalations-title">{t('escalations')}</h3>
        {escalations === null && <p>{t('loading')}</p>}
        {escalations?.length === 0 && <p>{t('noEscalations')}</p>}
        {escalations && escalations.length > 0 && (
          <table className="escalations">
            <thead>
              <tr>
                <th scope="col">{t('tracking')}</th>
                <th scope="col">{t('step')}</th>
                <th scope="col">{t('supervisorComment')}</th>
              </tr>
            </thead>
            <tbody>
              {escalations.map((task) => (
                <tr key={task.id} data-case={task.caseId} data-step={task.step}>
                  <td>
                    <a href={href({ page: 'task', id: task.id })}>{task.trackingNumber}</a>
                  </td>
                  <td>{task.step}</td>
                  <td>
                    <Acknowledge
                      session={session}
                      task={task}
                      onDone={() => void done(`${t('acknowledged')}: ${task.trackingNumber}`)}
                      onRefused={setError}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="claimed-title">
        <h3 id="claimed-title">{t('claimedTasks')}</h3>
        {claimed === null && <p>{t('loading')}</p>}
        {claimed?.length === 0 && <p>{t('noClaimedTasks')}</p>}
        {claimed && claimed.length > 0 && (
          <table className="claimed">
            <thead>
              <tr>
                <th scope="col">{t('tracking')}</th>
                <th scope="col">{t('step')}</th>
                <th scope="col">{t('claimedBy')}</th>
                <th scope="col">{t('reassign')}</th>
              </tr>
            </thead>
            <tbody>
              {claimed.map((task) => (
                <tr key={task.id} data-case={task.caseId} data-step={task.step}>
                  <td>
                    <a href={href({ page: 'task', id: task.id })}>{task.trackingNumber}</a>
                  </td>
                  <td>{task.step}</td>
                  <td>{task.claimedBy}</td>
                  <td>
                    <Reassign
                      session={session}
                      task={task}
                      onDone={(to) => void done(`${t('reassigned')}: ${task.trackingNumber} → ${to}`)}
                      onRefused={setError}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Extension session={session} onDone={(caseId) => void done(`${t('extended')}: ${caseId}`)} onRefused={setError} />
    </section>
  );
}

interface ActionProps {
  session: Session;
  task: Task;
  onRefused: (text: string) => void;
}

/** An escalation is acknowledged with what the supervisor did about the late step; the server requires the text. */
function Acknowledge({ session, task, onDone, onRefused }: ActionProps & { onDone: () => void }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data, error } = await session.client.POST('/v1/tasks/{id}/decision', {
      params: { path: { id: task.id } },
      body: { outcome: 'acknowledge', comment },
    });
    if (data) onDone();
    else onRefused(problemText(error));
  };
  return (
    <form className="inline" onSubmit={(event) => void submit(event)}>
      <label>
        <span className="visually-hidden">
          {t('supervisorComment')} {task.trackingNumber}
        </span>
        <input name="comment" value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <button type="submit">{t('acknowledge')}</button>
    </form>
  );
}

/** A claimed task handed to another reviewer of the office, with the reason (recorded on the case). */
function Reassign({ session, task, onDone, onRefused }: ActionProps & { onDone: (to: string) => void }) {
  const { t } = useI18n();
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data, error } = await session.client.POST('/v1/tasks/{id}/reassignment', {
      params: { path: { id: task.id } },
      body: { to, reason },
    });
    if (data) onDone(data.claimedBy);
    else onRefused(problemText(error));
  };
  return (
    <form className="inline" onSubmit={(event) => void submit(event)}>
      <label>
        <span className="visually-hidden">
          {t('reassignTo')} {task.trackingNumber}
        </span>
        <input name="to" value={to} placeholder={t('reassignTo')} onChange={(e) => setTo(e.target.value)} />
      </label>
      <label>
        <span className="visually-hidden">
          {t('reassignReason')} {task.trackingNumber}
        </span>
        <input
          name="reason"
          value={reason}
          placeholder={t('reassignReason')}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <button type="submit">{t('reassign')}</button>
    </form>
  );
}

/** The extension of a case's overall limit (低保: 30 → 45 working days, once), with its reason. */
function Extension({
  session,
  onDone,
  onRefused,
}: {
  session: Session;
  onDone: (caseId: string) => void;
  onRefused: (text: string) => void;
}) {
  const { t } = useI18n();
  const [caseId, setCaseId] = useState('');
  const [reason, setReason] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data, error } = await session.client.POST('/v1/staff/cases/{id}/extension', {
      params: { path: { id: caseId.trim() } },
      body: { reason },
    });
    if (data) onDone(caseId.trim());
    else onRefused(problemText(error));
  };
  return (
    <section aria-labelledby="extension-title">
      <h3 id="extension-title">{t('extension')}</h3>
      <form className="filters" onSubmit={(event) => void submit(event)}>
        <label>
          {t('extensionCase')}
          <input name="caseId" value={caseId} onChange={(e) => setCaseId(e.target.value)} />
        </label>
        <label>
          {t('extensionReason')}
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit">{t('extend')}</button>
      </form>
    </section>
  );
}
