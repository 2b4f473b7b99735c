import { describe, expect, it } from 'vitest';
import { parseAmlSms } from '../../../../src/location/aml/aml-sms.js';
import { amlFixture, withLength } from './fixtures.js';

const V1 = 'A"ML=1;lt=-7.25747;lg=+112.75209;rd=18;top=20240603081522;lc=68;pm=G;si=510101234567890;ei=356708041746734;mcc=510;mnc=10';
const V2 = 'A"ML=2;en=112;et=1717401700;lo=-8.65000,115.21667,20.1;lt=5;lc=68;lz=35.2,4.5;ls=F;ei=356708041746734;nc=51010;hc=51010';
const SENDER = '081234567890';

const reasonOf = (text: string): string => {
  const result = parseAmlSms(text, SENDER);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.reason;
};
const valueOf = (text: string, sender: string | null = SENDER) => {
  const result = parseAmlSms(text, sender);
  if (!result.ok) throw new Error(`expected a message, got: ${result.reason}`);
  return result.value;
};

describe('parseAmlSms v1: documented format', () => {
  it('given a v1 SMS from Surabaya, then every field lands where the operator reads it', () => {
    expect(valueOf(amlFixture('sms-v1-surabaya.txt'))).toEqual({
      transport: 'sms', version: '1', deviceNumber: '+6281234567890', emergencyNumber: null, callStartedAt: null,
      sentAt: null, imei: '356708041746734', imsi: '510101234567890',
      reading: {
        source: 'aml-sms', shape: 'circle', latitude: -7.25747, longitude: 112.75209, accuracyM: 18, confidencePct: 68,
        altitudeM: null, verticalAccuracyM: null, method: 'gnss', ellipse: null, polygon: null, civic: null,
        fixedAt: Date.UTC(2024, 5, 3, 8, 15, 22),
      },
      extras: { mcc: '510', mnc: '10' },
    });
  });

  it('given the ETSI example, then its fix and UTC time are read', () => {
    expect(valueOf(amlFixture('sms-v1-etsi-example.txt')).reading).toMatchObject({
      latitude: 55.74297, longitude: -4.2688, accuracyM: 10, confidencePct: 95, fixedAt: Date.UTC(2013, 6, 17, 17, 53, 29),
    });
  });

  it("given Android's no-location example (pm=N), then it is refused: there is no fix to show", () => {
    expect(reasonOf(amlFixture('sms-v1-android-no-location.txt'))).toBe('the handset had no location (pm=N)');
  });

  it("given Android's published example whose ml is one short, then it is refused by the whole-message rule", () => {
    expect(reasonOf(amlFixture('sms-v1-android-ml-one-short.txt'))).toBe('declared length ml=126 but the message has 127 characters');
  });

  it('given rd=N, then there is no radius and the fix is a point', () => {
    expect(valueOf(withLength(V1.replace('rd=18', 'rd=N'))).reading).toMatchObject({ shape: 'point', accuracyM: null });
  });

  it.each([['G', 'gnss'], ['g', 'gnss'], ['W', 'wifi'], ['w', 'wifi'], ['C', 'cell'], ['U', 'unknown']])('given pm=%s, then the method is %s', (pm, method) => {
    expect(valueOf(withLength(V1.replace('pm=G', `pm=${pm}`))).reading.method).toBe(method);
  });

  it('given a method letter we do not know, then the method is unknown and the letter is kept', () => {
    const message = valueOf(withLength(V1.replace('pm=G', 'pm=X')));
    expect(message.reading.method).toBe('unknown');
    expect(message.extras).toEqual({ mcc: '510', mnc: '10', pm: 'X' });
  });
});

describe('parseAmlSms v1: refusals', () => {
  it.each([
    ['lt', 'missing lt (latitude)'],
    ['lg', 'missing lg (longitude)'],
  ])('given no %s, then it is refused with that reason', (field, reason) => {
    const without = V1.split(';').filter((part) => !part.startsWith(`${field}=`)).join(';');
    expect(reasonOf(withLength(without))).toBe(reason);
  });

  it.each([
    ['lt=91', "lt (latitude) must be a number between -90 and 90: got '91'"],
    ['lt=-90.00001', "lt (latitude) must be a number between -90 and 90: got '-90.00001'"],
    ['lt=north', "lt (latitude) must be a number between -90 and 90: got 'north'"],
  ])('given %s, then it is refused with the bounds and the value', (field, reason) => {
    expect(reasonOf(withLength(V1.replace('lt=-7.25747', field)))).toBe(reason);
  });

  it('given a longitude of 180.5, then it is refused', () => {
    expect(reasonOf(withLength(V1.replace('lg=+112.75209', 'lg=180.5')))).toBe("lg (longitude) must be a number between -180 and 180: got '180.5'");
  });

  it('given a comma decimal in lt, then it is refused rather than guessed', () => {
    expect(reasonOf(withLength(V1.replace('lt=-7.25747', 'lt=-7,25747')))).toBe("lt (latitude) uses a comma decimal: '-7,25747'");
  });

  it.each(['20230231120000', '20240603246000', '2024060308152'])('given top=%s that is no UTC time, then it is refused', (top) => {
    expect(reasonOf(withLength(V1.replace('top=20240603081522', `top=${top}`)))).toBe(`top must be a UTC time YYYYMMDDhhmmss: got '${top}'`);
  });

  it('given a top in 1999, then it is refused as implausible', () => {
    expect(reasonOf(withLength(V1.replace('top=20240603081522', 'top=19991231235959')))).toMatch(/^top is not a plausible time/);
  });
});

describe('parseAmlSms v2: documented format', () => {
  it('given a v2 SMS from Denpasar, then the call start, fix time and vertical fix are read', () => {
    expect(valueOf(amlFixture('sms-v2-denpasar.txt'))).toEqual({
      transport: 'sms', version: '2', deviceNumber: '+6281234567890', emergencyNumber: '112', callStartedAt: 1717401700000,
      sentAt: null, imei: '356708041746734', imsi: null,
      reading: {
        source: 'aml-sms', shape: 'circle', latitude: -8.65, longitude: 115.21667, accuracyM: 20.1, confidencePct: 68,
        altitudeM: 35.2, verticalAccuracyM: 4.5, method: 'fused', ellipse: null, polygon: null, civic: null,
        fixedAt: 1717401705000,
      },
      extras: { nc: '51010', hc: '51010', lg: 'id-ID,en-US' },
    });
  });

  it('given lt=-9999 and an accuracy of 0, then the fix time and the accuracy are unknown, not zero', () => {
    const message = valueOf(amlFixture('sms-v2-unknown-fix-time.txt'));
    expect(message.reading).toMatchObject({ shape: 'point', accuracyM: null, method: 'cell', fixedAt: null });
    expect(message.callStartedAt).toBe(1717401700000);
  });

  it('given a v2 SMS with fields reordered, then the message is the same', () => {
    const [head, ...fields] = V2.split(';');
    const reordered = [head, ...fields.reverse()].join(';');
    expect(valueOf(withLength(reordered))).toEqual(valueOf(withLength(V2)));
  });

  it('given et in ms rather than seconds, then the call start is the same', () => {
    expect(valueOf(withLength(V2.replace('et=1717401700', 'et=1717401700000'))).callStartedAt).toBe(1717401700000);
  });

  it('given a negative lt, then the fix was taken before the call started', () => {
    expect(valueOf(withLength(V2.replace('lt=5', 'lt=-30'))).reading.fixedAt).toBe(1717401670000);
  });

  it('given lt but no et, then the fix time is unknown and lt is kept as given', () => {
    const message = valueOf(withLength(V2.replace('et=1717401700;', '')));
    expect(message.reading.fixedAt).toBeNull();
    expect(message.extras.lt).toBe('5');
  });

  it('given lo with only latitude and longitude, then the fix is a point', () => {
    expect(valueOf(withLength(V2.replace('-8.65000,115.21667,20.1', '-8.65,115.21667'))).reading).toMatchObject({ shape: 'point', accuracyM: null });
  });

  it('given lz with a vertical accuracy of 0, then the vertical accuracy is unknown', () => {
    expect(valueOf(withLength(V2.replace('lz=35.2,4.5', 'lz=35.2,0'))).reading).toMatchObject({ altitudeM: 35.2, verticalAccuracyM: null });
  });
});

describe('parseAmlSms v2: refusals', () => {
  it('given no lo, then it is refused', () => {
    expect(reasonOf(withLength(V2.replace('lo=-8.65000,115.21667,20.1;', '')))).toBe('missing lo (location)');
  });

  it('given lo with comma decimals, then the comma cannot be a decimal and it is refused', () => {
    expect(reasonOf(withLength(V2.replace('-8.65000,115.21667,20.1', '-8,65,115,21,20')))).toBe("lo must be latitude,longitude,accuracy: got '-8,65,115,21,20'");
  });

  it.each([
    ['-91,115.2,10', "lo latitude must be a number between -90 and 90: got '-91'"],
    ['-8.6,181,10', "lo longitude must be a number between -180 and 180: got '181'"],
    ['-8.6,115.2,-5', "lo accuracy must be a number between 0 and 20000000: got '-5'"],
    ['0,0,10', 'lo 0,0 is the no-fix placeholder, not a location'],
  ])('given lo=%s, then it is refused', (lo, reason) => {
    expect(reasonOf(withLength(V2.replace('-8.65000,115.21667,20.1', lo)))).toBe(reason);
  });

  it.each([
    ['lt=2.5', "lt must be whole seconds from et, or -9999: got '2.5'"],
    ['lt=90000', "lt puts the fix more than a day from the call start: got '90000'"],
    ['et=123', "et (call start) is not a plausible time (before 2000 or after 2099): got '123'"],
  ])('given %s, then it is refused', (field, reason) => {
    const [key] = field.split('=');
    const text = V2.split(';').map((part) => (part.startsWith(`${key}=`) ? field : part)).join(';');
    expect(reasonOf(withLength(text))).toBe(reason);
  });
});

describe('parseAmlSms: framing', () => {
  it('given a declared length that does not match, then the reason gives both lengths', () => {
    const text = V1.replace(';mnc=10', '');
    expect(reasonOf(`${text};ml=120`)).toBe(`declared length ml=120 but the message has ${text.length + 7} characters`);
  });

  it('given no ml, then the length is not checked', () => {
    expect(valueOf(V1).reading.latitude).toBe(-7.25747);
  });

  it('given a non-numeric ml, then it is refused', () => {
    expect(reasonOf(`${V1};ml=abc`)).toBe("ml must be the message length in characters: got 'abc'");
  });

  it('given stray spaces, CR and LF around the text and separators, then the message is the same', () => {
    const clean = withLength(V1);
    const messy = `\r\n  ${clean.replaceAll(';', ' ;\r\n').replaceAll('=', ' = ')}  \r\n`;
    expect(valueOf(messy)).toEqual(valueOf(clean));
  });

  it('given a typographic quote in the opening, then it is accepted', () => {
    expect(valueOf(withLength(V1.replace('A"ML', 'A\u201DML'))).version).toBe('1');
  });

  it.each([
    ['AML=1;lt=1;lg=2'],
    ['Hello, I need help'],
    [''],
    ['xA"ML=1;lt=1;lg=2'],
  ])('given %j, then it is not an AML SMS', (text) => {
    expect(reasonOf(text)).toBe('not an AML SMS: expected it to start with A"ML=');
  });

  it('given version 3, then it is refused as unknown', () => {
    expect(reasonOf(withLength(V2.replace('A"ML=2', 'A"ML=3')))).toBe('unknown AML version 3');
  });

  it('given a field twice, then it is refused', () => {
    expect(reasonOf(withLength(`${V1};lt=-7.3`))).toBe("duplicate field 'lt'");
  });

  it('given a field with no =, then it is refused', () => {
    expect(reasonOf(withLength(`${V1};garbage`))).toBe("field 'garbage' is not key=value");
  });

  it('given unknown fields, then they are kept in extras as given', () => {
    expect(valueOf(withLength(`${V1};xx=hello world;fl=3`)).extras).toEqual({ mcc: '510', mnc: '10', xx: 'hello world', fl: '3' });
  });

  it('given a sender number, then it is normalised; given none, then the device number is null', () => {
    expect(valueOf(V1, '+62 812-3456-7890').deviceNumber).toBe('+6281234567890');
    expect(valueOf(V1, null).deviceNumber).toBeNull();
    expect(valueOf(V1, '  ').deviceNumber).toBeNull();
  });

  it('given a text longer than any SMS, then it is refused', () => {
    expect(reasonOf(`${V1};xx=${'a'.repeat(3000)}`)).toMatch(/^the SMS is \d+ characters; at most 2048 are accepted$/);
  });
});
