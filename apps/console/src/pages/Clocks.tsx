import { useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import type { Session } from '../session';

type Clock = Schemas['Clock'];

/** Each statutory clock of the case with the server's explanation of its due date (working days, holidays, pauses). */
export function Clocks({ session, caseId }: { session: Session; caseId: string }) {
  const { t } = useI18n();
  const [clocks, setClocks] = useState<Clock[]>([]);
  useEffect(() => {
    void session.client
      .GET('/v1/staff/cases/{id}/clocks', { params: { path: { id: caseId } } })
      .then(({ data }) => setClocks(data?.clocks ?? []));
  }, [session, caseId]);

  return (
    <section aria-labelledby="clocks-title">
      <h3 id="clocks-title">{t('clocks')}</h3>
      {clocks.length === 0 && <p>{t('none')}</p>}
      {clocks.map((clock) => (
        <details key={clock.id} className="clock">
          <summary>
            {clock.clock}: {clock.state} · {t('limit')} {clock.limit.amount}{' '}
            {clock.limit.unit === 'working-days' ? t('workingDays') : t('calendarDays')} · {t('due')} {clock.due ?? '—'}
            {clock.provisional && <strong> ({t('provisional')})</strong>}
          </summary>
          <p className="muted">{clock.limit.source}</p>
          <p>
            {t('pauses')}: {clock.pauses.length} · {t('extensions')}: {clock.extensions.length}
          </p>
          <h4>{t('explanation')}</h4>
          <pre>{JSON.stringify(clock.explanation, null, 2)}</pre>
        </details>
      ))}
    </section>
  );
}
