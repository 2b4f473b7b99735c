import { describe, expect, it } from 'vitest';
import { normaliseNumber } from '../../../src/numbers/phone-number.js';

describe('normaliseNumber', () => {
  it('given the ways Indonesian networks and people write one mobile number, then all become the same +62 form', () => {
    const ways = ['081234567890', '0812-3456-7890', '0812 3456 7890', '+62 812 3456 7890', '+62-812-3456-7890', '6281234567890', '+6281234567890', ' 081234567890 ', '(0812) 34567890'];
    expect(new Set(ways.map(normaliseNumber))).toEqual(new Set(['+6281234567890']));
  });

  it('given a Bekasi landline with its area code, then it becomes +6221...', () => {
    expect(normaliseNumber('021-8888-1234')).toBe('+622188881234');
    expect(normaliseNumber('(021) 8888 1234')).toBe('+622188881234');
    expect(normaliseNumber('+62 21 8888 1234')).toBe('+622188881234');
  });

  it('given short codes, withheld and empty numbers, then they keep their digits or their word', () => {
    expect(normaliseNumber('112')).toBe('112');
    expect(normaliseNumber('110')).toBe('110');
    expect(normaliseNumber('')).toBe('unknown');
    expect(normaliseNumber('   ')).toBe('unknown');
    expect(normaliseNumber('Anonymous')).toBe('anonymous');
  });

  it('given a foreign number in + form, then it keeps its own country code', () => {
    expect(normaliseNumber('+33 6 11 22 33 44')).toBe('+33611223344');
  });
});
