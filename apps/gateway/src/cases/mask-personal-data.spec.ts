import { maskPersonalData } from './mask-personal-data.js';

describe('maskPersonalData', () => {
  it('masks identity numbers anywhere and personal keys, keeping everything else', () => {
    expect(
      maskPersonalData({
        note: 'member 11010519491231002X moved',
        nested: [{ idNumber: '11010519491231002X', name: '张三', grade: 2 }],
        amountFen: 38000,
        trackingNumber: 'WLMQ-2026-00001234',
      }),
    ).toEqual({
      note: 'member 110105********002X moved',
      nested: [{ idNumber: '***', name: '***', grade: 2 }],
      amountFen: 38000,
      trackingNumber: 'WLMQ-2026-00001234',
    });
  });

  it('leaves longer digit runs alone (not an identity number)', () => {
    expect(maskPersonalData('1234567890123456789')).toBe('1234567890123456789');
  });
});
