import { createHash } from 'node:crypto';
import { expenditureCsv, expenditureReport, maskAccount, parseBankResults, paymentFile } from './index.js';

const LINE = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

describe('the payment file', () => {
  const line = {
    lineId: LINE,
    month: '2027-03',
    trackingNumber: 'MS-1',
    itemCode: 'BPS-064',
    district: '650102',
    division: '650102002',
    bank: 'ICBC',
    beneficiaryName: '=王, "小明"',
    accountNumber: '6222020200001234',
    amountFen: 37_205,
  };

  it('writes yuan with two decimals and fen, quotes what needs it, and ends with a checksum over the rows', () => {
    const rows = paymentFile([line, { ...line, lineId: OTHER, amountFen: 5 }])
      .trimEnd()
      .split('\r\n');
    expect(rows[1]).toBe(
      `${LINE},2027-03,MS-1,BPS-064,650102,650102002,ICBC,"'=王, ""小明""",6222020200001234,372.05,37205`,
    );
    expect(rows[2]!.endsWith(',0.05,5')).toBe(true);
    const digest = createHash('sha256').update(rows.slice(0, 3).join('\r\n')).digest('hex');
    expect(rows[3]).toBe(`#checksum,lines=2,total_fen=37210,sha256=${digest}`);
  });

  it('masks accounts for logs', () => {
    expect(maskAccount('6222020200001234')).toBe('6222****1234');
    expect(maskAccount('1234')).toBe('****');
  });
});

describe("the bank's result file", () => {
  it('reads paid and returned lines', () => {
    expect(parseBankResults(`line_id,outcome,reason\r\n${LINE},paid,\r\n${OTHER},returned,deceased\r\n`)).toEqual([
      { lineId: LINE, outcome: 'paid', reason: null },
      { lineId: OTHER, outcome: 'returned', reason: 'deceased' },
    ]);
  });

  it('refuses the whole file, naming every bad row and column', () => {
    const file = `line_id,outcome,reason\nnot-an-id,paid,\n${LINE},returned,moved\n${LINE},lost,\n`;
    expect(() => parseBankResults(file)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION.FAILED',
        details: {
          errors: [
            expect.objectContaining({ field: 'file[2].line_id' }),
            expect.objectContaining({ field: 'file[3].reason' }),
            expect.objectContaining({ field: 'file[4].line_id', message: 'the line appears twice' }),
            expect.objectContaining({ field: 'file[4].outcome' }),
          ],
        },
      }),
    );
    expect(() => parseBankResults('id,result\n')).toThrow(expect.objectContaining({ code: 'VALIDATION.FAILED' }));
  });
});

describe('the expenditure report', () => {
  const sums = [
    { itemCode: 'BPS-064', district: '650102', month: '2027-03', lines: 2, amountFen: 70_000 },
    { itemCode: 'BPS-064', district: '650103', month: '2027-03', lines: 1, amountFen: 30_000 },
    { itemCode: 'BPS-072', district: '650102', month: '2027-04', lines: 1, amountFen: 10_000 },
  ];

  it('regroups paid sums by the chosen dimensions, with a total equal to them', () => {
    const report = expenditureReport(sums, ['department', 'month']);
    expect(report.groups).toEqual([
      { key: { department: 'civil-affairs', month: '2027-03' }, lines: 3, amountFen: 100_000 },
      { key: { department: 'civil-affairs', month: '2027-04' }, lines: 1, amountFen: 10_000 },
    ]);
    expect(report.total).toEqual({ lines: 4, amountFen: 110_000 });
    expect(expenditureCsv(report).split('\r\n')).toEqual([
      'department,month,lines,amount_fen,amount_yuan',
      'civil-affairs,2027-03,3,100000,1000.00',
      'civil-affairs,2027-04,1,10000,100.00',
      'total,,4,110000,1100.00',
      '',
    ]);
  });
});
