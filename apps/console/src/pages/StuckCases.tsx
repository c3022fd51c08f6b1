import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { problemText, type Session } from '../session';

/** Cases the engine has not moved (docs/operations.md "Stuck cases"), with a redrive each. */
export function StuckCases({ session }: { session: Session }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Record<string, unknown>[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => {
    const { data, error } = await session.client.GET('/v1/ops/cases/stuck', { params: { query: {} } });
    if (data) setItems(data.items as Record<string, unknown>[]);
    else setMessage(problemText(error));
  }, [session]);
  useEffect(() => {
    void load();
  }, [load]);

  const redrive = async (id: string) => {
    const { data, error } = await session.client.POST('/v1/ops/cases/{id}/redrive', { params: { path: { id } } });
    setMessage(data ? `${t('redrive')}: ${JSON.stringify(data)}` : problemText(error));
    await load();
  };

  return (
    <section aria-labelledby="stuck-title">
      <h2 id="stuck-title">{t('stuck')}</h2>
      {message && <p role="status">{message}</p>}
      {items?.length === 0 && <p>{t('none')}</p>}
      <ul>
        {items?.map((item) => {
          const id = String(item['caseId'] ?? item['id']);
          return (
            <li key={id}>
              {String(item['trackingNumber'] ?? id)} · {String(item['reason'] ?? item['status'] ?? '')}{' '}
              <button type="button" onClick={() => void redrive(id)}>
                {t('redrive')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
