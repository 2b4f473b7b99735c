import { describe, expect, it } from 'vitest';
import { callerNameFromClid, completeLines, parseCdrLine } from '../../../src/calls/cdr-line.js';

// A line exactly as Asterisk 22's cdr_custom wrote it in the lab (asterisk-config/cdr_custom.conf).
const LINE = '{"uniqueid":"1795823756.0","linkedid":"1795823756.0","channel":"PJSIP/citizens-00000000","dstchannel":"","start":1795823756.144777,"answer":1795823756.145659,"end":1795823758.152265,"src":"081234567890","clid":"\\"\\" <081234567890>","dst":"s","dcontext":"emergency-fallback","disposition":"ANSWERED","userfield":"fallback","dialled":"112"}';

describe('cdr_custom lines', () => {
  it('given a line from Asterisk, then its fields are read', () => {
    expect(parseCdrLine(LINE)).toMatchObject({
      uniqueid: '1795823756.0', src: '081234567890', dialled: '112', userfield: 'fallback',
      start: 1795823756.144777, end: 1795823758.152265, disposition: 'ANSWERED',
    });
  });

  it('given garbage or a record without uniqueid, then nothing is returned', () => {
    expect(parseCdrLine('not json')).toBeUndefined();
    expect(parseCdrLine('{"start": 1}')).toBeUndefined();
  });

  it('given a clid with a name, then the name is extracted', () => {
    expect(callerNameFromClid('"Budi Santoso" <0812>')).toBe('Budi Santoso');
    expect(callerNameFromClid('0812')).toBe('');
  });

  it('given a chunk ending mid-line, then only complete lines are consumed', () => {
    const chunk = Buffer.from('{"a":1}\n{"b":2}\n{"c":');
    expect(completeLines(chunk)).toEqual({ lines: ['{"a":1}', '{"b":2}'], consumed: 16 });
    expect(completeLines(Buffer.from('{"partial"'))).toEqual({ lines: [], consumed: 0 });
  });
});
