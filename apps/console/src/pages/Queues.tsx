import { useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { problemText, type Session } from '../session';

type Queue = Schemas['Queue'];
type Job = Schemas['Job'];

/**
 * Queue counts, pause/resume, retry of a queue's failed jobs, and each failed job (the newest page of them) to retry
 * or discard one by one (docs/operations.md); the Bull Board dashboard for the rest.
 */
export function Queues({ session }: { session: Session }) {
  const { t } = useI18n();
  const [queues, setQueues] = useState<Queue[] | null>(null);
  const [failed, setFailed] = useState<Record<string, Job[]>>({});
  const [message, setMessage] = useState<{ text: string; refused: boolean } | null>(null);
  const load = useCallback(async () => {
    const { data, error } = await session.client.GET('/v1/ops/queues');
    if (!data) return setMessage({ text: problemText(error), refused: true });
    setQueues(data.items);
    const jobs: Record<string, Job[]> = {};
    for (const queue of data.items.filter((q) => q.failed > 0)) {
      const page = await session.client.GET('/v1/ops/queues/{name}/jobs', {
        params: { path: { name: queue.name }, query: { state: 'failed', limit: 20 } },
      });
      jobs[queue.name] = page.data?.items ?? [];
    }
    setFailed(jobs);
  }, [session]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (name: string, action: 'pause' | 'resume' | 'retry-failed') => {
    const path =
      action === 'pause'
        ? '/v1/ops/queues/{name}/pause'
        : action === 'resume'
          ? '/v1/ops/queues/{name}/resume'
          : '/v1/ops/queues/{name}/retry-failed';
    const { error } = await session.client.POST(path, { params: { path: { name } } });
    setMessage(error ? { text: problemText(error), refused: true } : { text: `${name}: ${action}`, refused: false });
    await load();
  };

  const actOnJob = async (name: string, id: string, action: 'retry' | 'discard') => {
    const path =
      action === 'retry' ? '/v1/ops/queues/{name}/jobs/{id}/retry' : '/v1/ops/queues/{name}/jobs/{id}/discard';
    const { error } = await session.client.POST(path, { params: { path: { name, id } } });
    setMessage(
      error ? { text: problemText(error), refused: true } : { text: `${name}/${id}: ${action}`, refused: false },
    );
    await load();
  };

  return (
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">{t('queues')}</h2>
      <p>
        <a href="/ops/board">{t('dashboard')}</a>
      </p>
      {message && <p role={message.refused ? 'alert' : 'status'}>{message.text}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('queueName')}</th>
            <th scope="col">{t('counts')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col" aria-label="actions"></th>
          </tr>
        </thead>
        <tbody>
          {queues?.map((queue) => (
            <tr key={queue.name}>
              <td>{queue.name}</td>
              <td>{`waiting ${queue.waiting} · active ${queue.active} · delayed ${queue.delayed} · failed ${queue.failed}`}</td>
              <td>{queue.paused ? t('paused') : '—'}</td>
              <td>
                <button type="button" onClick={() => void act(queue.name, queue.paused ? 'resume' : 'pause')}>
                  {queue.paused ? t('resume') : t('pause')}
                </button>
                <button type="button" onClick={() => void act(queue.name, 'retry-failed')}>
                  {t('retryFailed')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.entries(failed)
        .filter(([, jobs]) => jobs.length > 0)
        .map(([name, jobs]) => (
          <table key={name} className="failed-jobs" data-queue={name}>
            <caption>
              {t('failedJobs')} · {name}
            </caption>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">{t('attempts')}</th>
                <th scope="col">{t('failedReason')}</th>
                <th scope="col" aria-label="actions"></th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} data-job={job.id}>
                  <td>{job.id}</td>
                  <td>{`${job.attemptsMade} / ${job.attempts}`}</td>
                  <td>{job.failedReason ?? '—'}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`${t('retry')} ${job.id}`}
                      onClick={() => void actOnJob(name, job.id, 'retry')}
                    >
                      {t('retry')}
                    </button>
                    <button
                      type="button"
                      aria-label={`${t('discard')} ${job.id}`}
                      onClick={() => void actOnJob(name, job.id, 'discard')}
                    >
                      {t('discard')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
