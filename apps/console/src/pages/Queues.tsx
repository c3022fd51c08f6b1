import { useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { problemText, type Session } from '../session';

type Queue = Schemas['Queue'];

/** Queue counts, pause/resume and retry of failed jobs; the Bull Board dashboard for the rest. */
export function Queues({ session }: { session: Session }) {
  const { t } = useI18n();
  const [queues, setQueues] = useState<Queue[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => {
    const { data, error } = await session.client.GET('/v1/ops/queues');
    if (data) setQueues(data.items);
    else setMessage(problemText(error));
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
    setMessage(error ? problemText(error) : `${name}: ${action}`);
    await load();
  };

  return (
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">{t('queues')}</h2>
      <p>
        <a href="/ops/board">{t('dashboard')}</a>
      </p>
      {message && <p role="status">{message}</p>}
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
    </section>
  );
}
