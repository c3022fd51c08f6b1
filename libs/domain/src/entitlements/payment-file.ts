import { createHash } from 'node:crypto';
import { DomainError } from '../errors/domain-error.js';
import { fen, formatYuan } from '../money/fen.js';

/**
 * The payment file of one run, district and bank (docs/money.md "The payment file"): a header, one row per line,
 * and a checksum row with the number of lines, their total in fen and the SHA-256 of every row before it.
 */
export const PAYMENT_FILE_COLUMNS = [
  'line_id',
  'month',
  'case_tracking_number',
  'item_code',
  'district',
  'division',
  'bank',
  'beneficiary_name',
  'account_number',
  'amount_yuan',
  'amount_fen',
] as const;

export interface PaymentFileLine {
  readonly lineId: string;
  readonly month: string;
  readonly trackingNumber: string;
  readonly itemCode: string;
  readonly district: string;
  readonly division: string;
  readonly bank: string;
  /** Empty when the application's encrypted fields cannot be read (then the bank cannot pay it: it is returned). */
  readonly beneficiaryName: string;
  readonly accountNumber: string;
  readonly amountFen: number;
}

/** RFC 4180 field: quoted when it holds a comma, a quote or a line break; a leading = + - @ is neutralised. */
function field(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function paymentFile(lines: readonly PaymentFileLine[]): string {
  const rows = [
    PAYMENT_FILE_COLUMNS.join(','),
    ...lines.map((l) =>
      [
        l.lineId,
        l.month,
        l.trackingNumber,
        l.itemCode,
        l.district,
        l.division,
        l.bank,
        l.beneficiaryName,
        l.accountNumber,
        formatYuan(fen(l.amountFen)),
        String(l.amountFen),
      ]
        .map(field)
        .join(','),
    ),
  ];
  const total = lines.reduce((sum, l) => sum + BigInt(l.amountFen), 0n);
  const digest = createHash('sha256').update(rows.join('\r\n')).digest('hex');
  return `${[...rows, `#checksum,lines=${lines.length},total_fen=${total},sha256=${digest}`].join('\r\n')}\r\n`;
}

/** `186****1234`: what a log or an error may show of an account number. */
export function maskAccount(account: string): string {
  return account.length <= 8 ? '*'.repeat(account.length) : `${account.slice(0, 4)}****${account.slice(-4)}`;
}

/** Why a bank returned a payment (docs/money.md "Returned payments"). */
export const RETURN_REASONS = ['wrong-account', 'deceased', 'account-closed', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export interface BankResult {
  readonly lineId: string;
  readonly outcome: 'paid' | 'returned';
  readonly reason: ReturnReason | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The bank's result file: a header `line_id,outcome,reason`, then one row per line (`paid`, or `returned` with one
 * of RETURN_REASONS). Every problem is reported at once, each naming its row and column; nothing is read from a
 * file with any problem.
 */
export function parseBankResults(text: string): BankResult[] {
  const rows = text.split(/\r?\n/).filter((row) => row.trim() !== '' && !row.startsWith('#'));
  const errors: { field: string; code: string; message: string }[] = [];
  const problem = (row: number, column: string, message: string) =>
    errors.push({ field: `file[${row}].${column}`, code: 'INVALID_RESULT', message });
  if (rows[0]?.trim() !== 'line_id,outcome,reason') {
    problem(1, 'header', 'the first row must be line_id,outcome,reason');
  }
  const results: BankResult[] = [];
  const seen = new Set<string>();
  rows.slice(1).forEach((row, index) => {
    const at = index + 2;
    const [lineId = '', outcome = '', reason = '', ...rest] = row.split(',').map((c) => c.trim());
    if (rest.length > 0) problem(at, 'row', 'three columns expected');
    if (!UUID.test(lineId)) problem(at, 'line_id', 'not a line id');
    else if (seen.has(lineId)) problem(at, 'line_id', 'the line appears twice');
    seen.add(lineId);
    if (outcome === 'paid') {
      if (reason !== '') problem(at, 'reason', 'a paid line has no reason');
      results.push({ lineId, outcome, reason: null });
    } else if (outcome === 'returned') {
      if (!(RETURN_REASONS as readonly string[]).includes(reason)) {
        problem(at, 'reason', `one of ${RETURN_REASONS.join(', ')}`);
      }
      results.push({ lineId, outcome, reason: reason as ReturnReason });
    } else {
      problem(at, 'outcome', 'paid or returned');
    }
  });
  if (rows.length < 2 && errors.length === 0) problem(2, 'row', 'the file has no result rows');
  if (errors.length > 0) {
    throw new DomainError('VALIDATION.FAILED', 'the bank result file is not valid', { errors });
  }
  return results;
}
