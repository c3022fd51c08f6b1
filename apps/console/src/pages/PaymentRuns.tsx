import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { useI18n } from '../i18n';
import { problemText, type Session } from '../session';

type Run = Schemas['PaymentRun'];
type Detail = Schemas['PaymentRunDetail'];

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Payment runs (docs/money.md): the list, opening the run of a month, one run's build progress and totals by
 * district and bank, each district and bank's payment file, and the import of the bank's result file. Operators and
 * finance; everything as the server answers it.
 */
export function PaymentRuns({ session }: { session: Session }) {
  const { t } = useI18n();
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [month, setMonth] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; refused: boolean } | null>(null);
  const load = useCallback(async () => {
    const { data, error } = await session.client.GET('/v1/payment-runs');
    if (data) setRuns(data.items);
    else setMessage({ text: problemText(error), refused: true });
  }, [session]);
  useEffect(() => {
    void load();
  }, [load]);
  const reload = useCallback(() => void load(), [load]);

  const open = async (event: FormEvent) => {
    event.preventDefault();
    const { data, error } = await session.client.POST('/v1/payment-runs', { body: { month } });
    if (!data) return setMessage({ text: problemText(error), refused: true });
    setMessage({ text: `${data.month}: ${data.opened ? t('runOpened') : t('runAlreadyOpen')}`, refused: false });
    setSelected(data.id);
    await load();
  };

  return (
    <section aria-labelledby="payments-title">
      <h2 id="payments-title">{t('payments')}</h2>
      <form className="filters" onSubmit={(e) => void open(e)}>
        <label>
          {t('month')}
          <input type="month" required value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
        <button type="submit">{t('openRun')}</button>
      </form>
      {message && <p role={message.refused ? 'alert' : 'status'}>{message.text}</p>}
      <table className="runs">
        <caption>{t('runs')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('month')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('progress')}</th>
            <th scope="col">{t('requestedBy')}</th>
            <th scope="col" aria-label={t('open')}></th>
          </tr>
        </thead>
        <tbody>
          {runs?.map((run) => (
            <tr key={run.id} data-run={run.id} data-month={run.month}>
              <td>{run.month}</td>
              <td>{runState(t, run.state)}</td>
              <td>{progressText(run)}</td>
              <td>{run.requestedBy}</td>
              <td>
                <button type="button" onClick={() => setSelected(run.id)} aria-label={`${t('open')} ${run.month}`}>
                  {t('open')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs?.length === 0 && <p>{t('none')}</p>}
      {selected && <RunDetail key={selected} session={session} id={selected} onChanged={reload} />}
    </section>
  );
}

function progressText(run: Run): string {
  const { candidates, examined, batches } = run.progress;
  return candidates === null ? `${examined} · ${batches}` : `${examined} / ${candidates} · ${batches}`;
}

function runState(t: ReturnType<typeof useI18n>['t'], state: Run['state']): string {
  return t(`run_${state}`);
}

function RunDetail({ session, id, onChanged }: { session: Session; id: string; onChanged: () => void }) {
  const { t } = useI18n();
  const [run, setRun] = useState<Detail | null>(null);
  const [file, setFile] = useState('');
  const [message, setMessage] = useState<{ text: string; refused: boolean } | null>(null);
  const [download, setDownload] = useState<{ name: string; url: string } | null>(null);
  const load = useCallback(async () => {
    const { data, error } = await session.client.GET('/v1/payment-runs/{id}', { params: { path: { id } } });
    if (data) setRun(data);
    else setMessage({ text: problemText(error), refused: true });
    return data;
  }, [session, id]);
  useEffect(() => {
    // Follow the build until the run is ready (the worker builds its lines in batches).
    let stop = false;
    let timer: number | undefined;
    const poll = async () => {
      const data = await load();
      if (stop || !data) return;
      if (data.state === 'building') timer = window.setTimeout(() => void poll(), 1000);
      else onChanged();
    };
    void poll();
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [load, onChanged]);
  useEffect(() => () => (download ? URL.revokeObjectURL(download.url) : undefined), [download]);

  const exportFile = async (district: string, bank: string) => {
    const { data, error } = await session.client.GET('/v1/payment-runs/{id}/export', {
      params: { path: { id }, query: { district, bank } },
      parseAs: 'text',
    });
    if (data === undefined) return setMessage({ text: problemText(error), refused: true });
    const url = URL.createObjectURL(new Blob([data], { type: 'text/csv' }));
    setDownload({ name: `payment-${run?.month ?? id}-${district}-${bank}.csv`, url });
    setMessage({ text: `${t('exported')}: ${district} · ${bank}`, refused: false });
    await load();
    onChanged();
  };

  const importResults = async (event: FormEvent) => {
    event.preventDefault();
    const { data, error } = await session.client.POST('/v1/payment-runs/{id}/results', {
      params: { path: { id } },
      body: { file },
    });
    if (!data) return setMessage({ text: problemText(error), refused: true });
    setMessage({
      text: `${t('paidLines')} ${data.paid} · ${t('returnedLines')} ${data.returned} · ${t('alreadySettled')} ${data.alreadySettled}`,
      refused: false,
    });
    await load();
    onChanged();
  };

  if (!run) return message ? <p role="alert">{message.text}</p> : <p>{t('loading')}</p>;
  const { totals } = run;
  return (
    <section aria-labelledby="run-title" className="run" data-run={run.id} data-state={run.state}>
      <h3 id="run-title">
        {t('run')} {run.month} · {runState(t, run.state)}
      </h3>
      <p>
        {t('progress')}:{' '}
        <progress max={run.progress.candidates ?? 1} value={run.progress.examined} aria-label={t('progress')} />{' '}
        {progressText(run)}
      </p>
      <dl className="totals">
        <dt>{t('lines')}</dt>
        <dd>{totals.lines}</dd>
        <dt>{t('amountYuan')}</dt>
        <dd>{yuan(totals.amountFen)}</dd>
        <dt>{t('paidLines')}</dt>
        <dd>
          {totals.paidLines} ({yuan(totals.paidAmountFen)})
        </dd>
        <dt>{t('returnedLines')}</dt>
        <dd>{totals.returnedLines}</dd>
        <dt>{t('carriedLines')}</dt>
        <dd>{totals.carriedLines}</dd>
      </dl>
      {message && <p role={message.refused ? 'alert' : 'status'}>{message.text}</p>}
      <table>
        <caption>{t('byDistrictAndBank')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('district')}</th>
            <th scope="col">{t('bank')}</th>
            <th scope="col">{t('lines')}</th>
            <th scope="col">{t('amountYuan')}</th>
            <th scope="col" aria-label={t('exportFile')}></th>
          </tr>
        </thead>
        <tbody>
          {totals.byDistrictAndBank.map((row) => (
            <tr key={`${row.district}/${row.bank}`}>
              <td>{row.district}</td>
              <td>{row.bank}</td>
              <td>{row.lines}</td>
              <td>{yuan(row.amountFen)}</td>
              <td>
                <button
                  type="button"
                  disabled={run.state === 'building'}
                  onClick={() => void exportFile(row.district, row.bank)}
                >
                  {t('exportFile')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {download && (
        <p>
          <a href={download.url} download={download.name}>
            {download.name}
          </a>
        </p>
      )}
      <form onSubmit={(e) => void importResults(e)} className="decision">
        <label>
          {t('bankResultFile')}
          <textarea rows={4} required value={file} onChange={(e) => setFile(e.target.value)} />
        </label>
        <label>
          {t('chooseFile')}
          <input type="file" accept=".csv,text/csv" onChange={(e) => void e.target.files?.[0]?.text().then(setFile)} />
        </label>
        <button type="submit" disabled={run.state !== 'exported'}>
          {t('importResults')}
        </button>
      </form>
    </section>
  );
}
