import { type FormEvent, useState } from 'react';
import type { Schemas } from '@minsheng/client';
import { DICTIONARIES, type MessageKey, outcomeLabel, useI18n } from '../i18n';

const DICTIONARY_KEYS = DICTIONARIES['zh-CN'];
import { problemText, type Session } from '../session';

type Task = Schemas['TaskDetail']['task'];
type DecisionRequest = Schemas['DecisionRequest'];
type Part = NonNullable<DecisionRequest['parts']>[string];

/** The parts a task decides one by one (两项补贴: each subsidy applied for), as the engine opened the task. */
function partsOf(task: Task): string[] {
  const parts = task.details['parts'];
  return Array.isArray(parts) ? parts.map(String) : [];
}

/** The instalment a payment task confirms (临时救助), as the engine opened the task. */
function paymentOf(task: Task): { instalment: number; of: number; amountFen: number } | null {
  const payment = task.details['payment'] as { instalment?: unknown; of?: unknown; amountFen?: unknown } | undefined;
  if (typeof payment?.instalment !== 'number') return null;
  return {
    instalment: payment.instalment,
    of: typeof payment.of === 'number' ? payment.of : payment.instalment,
    amountFen: typeof payment.amountFen === 'number' ? payment.amountFen : 0,
  };
}

/**
 * The decision form is built from what the server says the task accepts: its outcomes and the step's rejection
 * reasons, the findings the case's machine requires (means, and care for 特困), the parts it decides one by one
 * (两项补贴) and the instalment a payment task confirms (临时救助), all served with the task, so the console holds
 * no copy of any procedure.
 */
export function DecisionForm(props: {
  session: Session;
  task: Task;
  onDecided: (text: string) => void;
  onRefused: (text: string) => void;
}) {
  const { t } = useI18n();
  const { task } = props;
  const [outcome, setOutcome] = useState(task.outcomes[0] ?? '');
  const [reasonCode, setReasonCode] = useState(task.rejectReasons[0] ?? '');
  const [missing, setMissing] = useState('');
  const [comment, setComment] = useState('');
  const [findings, setFindings] = useState<Record<string, string | boolean>>({});
  const askFindings = outcome === 'approve' && task.requiredFindings.length > 0;
  const partNames = partsOf(task);
  const [parts, setParts] = useState<Record<string, Part>>(() =>
    Object.fromEntries(partNames.map((name) => [name, { outcome: 'approve' } as Part])),
  );
  // An approval gives each part its outcome; a whole rejection gives one common reason instead.
  const askParts = outcome === 'approve' && partNames.length > 0;
  const payment = paymentOf(task);
  const paying = outcome === 'paid' || outcome === 'payment-failed';
  const [paymentReference, setPaymentReference] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const body = {
      outcome: outcome as DecisionRequest['outcome'],
      ...(outcome === 'reject' && reasonCode ? { reasonCode } : {}),
      ...(outcome === 'return'
        ? {
            missingMaterials: missing
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean),
          }
        : {}),
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(askFindings ? { findings } : {}),
      ...(askParts ? { parts } : {}),
      ...(paying && paymentReference.trim() ? { paymentReference: paymentReference.trim() } : {}),
    };
    const { data, error } = await props.session.client.POST('/v1/tasks/{id}/decision', {
      params: { path: { id: task.id } },
      body,
    });
    setBusy(false);
    if (data) props.onDecided(t('decided'));
    else props.onRefused(problemText(error));
  };

  return (
    <form aria-labelledby="decision-title" onSubmit={(e) => void submit(e)} className="decision">
      <h3 id="decision-title">{t('decision')}</h3>
      <fieldset>
        <legend>{t('outcome')}</legend>
        {task.outcomes.map((option) => (
          <label key={option}>
            <input
              type="radio"
              name="outcome"
              value={option}
              checked={outcome === option}
              onChange={() => setOutcome(option)}
            />
            {outcomeLabel(t, option)}
          </label>
        ))}
      </fieldset>
      {outcome === 'reject' && task.rejectReasons.length > 0 && (
        <label>
          {t('reasonCode')}
          <select value={reasonCode} onChange={(e) => setReasonCode(e.target.value)}>
            {task.rejectReasons.map((reason) => (
              <option key={reason} value={reason}>
                {reason}
              </option>
            ))}
          </select>
        </label>
      )}
      {askParts && (
        <fieldset className="parts">
          <legend>{t('parts')}</legend>
          {partNames.map((name) => {
            const part = parts[name] ?? { outcome: 'approve' };
            const set = (next: Part) => setParts({ ...parts, [name]: next });
            const label = `part_${name}` in DICTIONARY_KEYS ? t(`part_${name}` as MessageKey) : name;
            return (
              <div key={name} className="part" data-part={name}>
                <label>
                  {label}
                  <select
                    value={part.outcome}
                    onChange={(e) =>
                      set(
                        e.target.value === 'reject'
                          ? { outcome: 'reject', reasonCode: task.rejectReasons[0] ?? '' }
                          : { outcome: 'approve' },
                      )
                    }
                  >
                    <option value="approve">{outcomeLabel(t, 'approve')}</option>
                    <option value="reject">{outcomeLabel(t, 'reject')}</option>
                  </select>
                </label>
                {part.outcome === 'reject' && (
                  <label>
                    {label} · {t('reasonCode')}
                    <select
                      value={part.reasonCode ?? ''}
                      onChange={(e) => set({ outcome: 'reject', reasonCode: e.target.value })}
                    >
                      {task.rejectReasons.map((reason) => (
                        <option key={reason} value={reason}>
                          {reason}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      {paying && (
        <fieldset className="payment">
          <legend>{t('payment')}</legend>
          {payment && (
            <p>
              {t('instalment')} {payment.instalment} / {payment.of} · {(payment.amountFen / 100).toFixed(2)} {t('yuan')}
            </p>
          )}
          <label>
            {outcome === 'paid' ? t('paymentReference') : t('paymentFailure')}
            <input
              type="text"
              maxLength={100}
              value={paymentReference}
              onChange={(e) => setPaymentReference(e.target.value)}
            />
          </label>
        </fieldset>
      )}
      {outcome === 'return' && (
        <label>
          {t('missingMaterials')}
          <textarea value={missing} rows={3} onChange={(e) => setMissing(e.target.value)} />
        </label>
      )}
      {askFindings && (
        <fieldset>
          <legend>{t('findings')}</legend>
          {task.requiredFindings.map((field) => {
            const label = field.name in DICTIONARY_KEYS ? t(field.name as MessageKey) : field.name;
            const set = (value: string | boolean) => setFindings({ ...findings, [field.name]: value });
            return field.kind === 'boolean' ? (
              <label key={field.name}>
                <input
                  type="checkbox"
                  checked={findings[field.name] === true}
                  onChange={(e) => set(e.target.checked)}
                />
                {label}
              </label>
            ) : field.kind === 'choice' ? (
              <label key={field.name}>
                {label}
                <select
                  required={field.required}
                  value={String(findings[field.name] ?? '')}
                  onChange={(e) => set(e.target.value)}
                >
                  <option value="" />
                  {field.choices?.map((choice) => (
                    <option key={choice} value={choice}>
                      {choice}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <label key={field.name}>
                {label}
                <input
                  type="date"
                  required={field.required}
                  value={String(findings[field.name] ?? '')}
                  onChange={(e) => set(e.target.value)}
                />
              </label>
            );
          })}
        </fieldset>
      )}
      <label>
        {t('comment')}
        <textarea value={comment} rows={3} onChange={(e) => setComment(e.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        {t('submit')}
      </button>
    </form>
  );
}
