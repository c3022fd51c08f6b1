import { getServiceItem } from '../catalog/service-items.js';
import { fen, formatYuan } from '../money/fen.js';

/**
 * What the expenditure report groups by (docs/money.md "The expenditure report"): the item, its lead department,
 * the district, the month, and the funding level (支出责任: the catalog item's expenditure categories).
 */
export const EXPENDITURE_DIMENSIONS = ['item', 'department', 'district', 'month', 'funding'] as const;
export type ExpenditureDimension = (typeof EXPENDITURE_DIMENSIONS)[number];

/** Paid lines summed per item, district and month: what the SQL answers. */
export interface PaidSum {
  readonly itemCode: string;
  readonly district: string;
  readonly month: string;
  readonly lines: number;
  readonly amountFen: number;
}

export interface ExpenditureGroup {
  readonly key: Readonly<Partial<Record<ExpenditureDimension, string>>>;
  readonly lines: number;
  readonly amountFen: number;
}

export interface ExpenditureReport {
  readonly groupBy: readonly ExpenditureDimension[];
  readonly groups: readonly ExpenditureGroup[];
  readonly total: { readonly lines: number; readonly amountFen: number };
}

function valueOf(sum: PaidSum, dimension: ExpenditureDimension): string {
  switch (dimension) {
    case 'item':
      return sum.itemCode;
    case 'department':
      return getServiceItem(sum.itemCode).leadDepartment.value;
    case 'district':
      return sum.district;
    case 'month':
      return sum.month;
    case 'funding':
      return getServiceItem(sum.itemCode).expenditure.categories.join('+');
  }
}

/** Regroups the paid sums by the chosen dimensions, groups in key order; the total is the sum of every group. */
export function expenditureReport(
  sums: readonly PaidSum[],
  groupBy: readonly ExpenditureDimension[],
): ExpenditureReport {
  const groups = new Map<
    string,
    { key: Partial<Record<ExpenditureDimension, string>>; lines: number; amount: bigint }
  >();
  for (const sum of sums) {
    const key = Object.fromEntries(groupBy.map((d) => [d, valueOf(sum, d)])) as Partial<
      Record<ExpenditureDimension, string>
    >;
    const id = groupBy.map((d) => key[d]).join('\u0000');
    const group = groups.get(id) ?? { key, lines: 0, amount: 0n };
    group.lines += sum.lines;
    group.amount += BigInt(sum.amountFen);
    groups.set(id, group);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const total = ordered.reduce((t, g) => ({ lines: t.lines + g.lines, amount: t.amount + g.amount }), {
    lines: 0,
    amount: 0n,
  });
  return {
    groupBy,
    groups: ordered.map((g) => ({ key: g.key, lines: g.lines, amountFen: fen(Number(g.amount)) })),
    total: { lines: total.lines, amountFen: fen(Number(total.amount)) },
  };
}

/** The report as CSV: one column per dimension, lines, amount in fen and in yuan; a last `total` row. */
export function expenditureCsv(report: ExpenditureReport): string {
  const rows = [
    [...report.groupBy, 'lines', 'amount_fen', 'amount_yuan'].join(','),
    ...report.groups.map((g) =>
      [...report.groupBy.map((d) => g.key[d] ?? ''), g.lines, g.amountFen, formatYuan(fen(g.amountFen))].join(','),
    ),
    [
      'total',
      ...report.groupBy.slice(1).map(() => ''),
      report.total.lines,
      report.total.amountFen,
      formatYuan(fen(report.total.amountFen)),
    ].join(','),
  ];
  return `${rows.join('\r\n')}\r\n`;
}
