import { describe, expect, it } from 'vitest';
import { fixReadingSchema } from '../../../../src/geo/fix.js';
import { parseAmlForm, MAX_AML_BODY_BYTES } from '../../../../src/location/aml/aml-https.js';
import { amlFixture } from './fixtures.js';

const base = {
  v: '3', location_latitude: '-6.17539', location_longitude: '106.82715', device_number: '+6281234567890',
};
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const reasonOf = (body: string): string => {
  const result = parseAmlForm(body);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.reason;
};
const valueOf = (body: string) => {
  const result = parseAmlForm(body);
  if (!result.ok) throw new Error(`expected a message, got: ${result.reason}`);
  return result.value;
};

describe('parseAmlForm: documented formats', () => {
  it('given a full v3 handset body from Jakarta, then every field lands where the operator reads it', () => {
    const message = valueOf(amlFixture('https-v3-jakarta-signed.txt'));
    expect(message).toEqual({
      transport: 'https', version: '3', deviceNumber: '+6281234567890', emergencyNumber: '112',
      callStartedAt: null, sentAt: 1717401723000, imei: '356708041746734', imsi: '510101234567890',
      reading: {
        source: 'aml-https', shape: 'circle', latitude: -6.17539, longitude: 106.82715, accuracyM: 12.5,
        confidencePct: 68, altitudeM: 38.2, verticalAccuracyM: 4, method: 'gnss', ellipse: null, polygon: null,
        civic: null, fixedAt: 1717401718000,
      },
      extras: {
        source: 'call', location_floor: '3', device_model: 'SM-A525F', cell_home_mcc: '510', cell_home_mnc: '10',
        cell_network_mcc: '510', cell_network_mnc: '10', device_languages: 'id-ID;en-US',
      },
    });
    expect(fixReadingSchema.safeParse(message.reading).success).toBe(true);
  });

  it('given the aml-lib v1 sample with location_certainty, then certainty is the confidence and the hmac is not kept', () => {
    const message = valueOf(amlFixture('https-aml-lib-signed.txt'));
    expect(message.reading).toMatchObject({ latitude: 0.85732, longitude: -4.26325, accuracyM: 10.4, confidencePct: 83, method: 'gnss', fixedAt: 1604912121000 });
    expect(message.deviceNumber).toBe('+33611223344');
    expect(message.extras).toEqual({});
  });

  it('given no accuracy, then the fix is a point with no uncertainty', () => {
    expect(valueOf(form(base)).reading).toMatchObject({ shape: 'point', accuracyM: null, method: 'unknown', fixedAt: null });
  });

  it('given a local 0812 device number, then it is normalised to +62', () => {
    expect(valueOf(form({ ...base, device_number: '0812-3456-7890' })).deviceNumber).toBe('+6281234567890');
  });

  it('given an unencoded plus in device_number (decoded as a space), then the plus is restored', () => {
    const body = 'location_latitude=-6.2&location_longitude=106.8&device_number=+6281234567890';
    expect(valueOf(body).deviceNumber).toBe('+6281234567890');
  });
});

describe('parseAmlForm: location_source', () => {
  it.each([
    ['GPS', 'gnss'], ['gps', 'gnss'], ['Gps', 'gnss'], ['WIFI', 'wifi'], ['wifi', 'wifi'], ['Cell', 'cell'],
    ['fused', 'fused'], ['FUSED', 'fused'], ['network', 'fused'], ['unknown', 'unknown'],
  ])('given location_source=%s in any case, then the method is %s', (source, method) => {
    const message = valueOf(form({ ...base, location_source: source }));
    expect(message.reading.method).toBe(method);
    expect(message.extras).toEqual({});
  });

  it('given a source word we do not know, then the method is unknown and the word is kept in extras', () => {
    const message = valueOf(form({ ...base, location_source: 'bluetooth' }));
    expect(message.reading.method).toBe('unknown');
    expect(message.extras).toEqual({ location_source: 'bluetooth' });
  });
});

describe('parseAmlForm: missing and invalid fields', () => {
  it.each([
    ['location_latitude', 'missing location_latitude'],
    ['location_longitude', 'missing location_longitude'],
    ['device_number', 'missing device_number'],
  ])('given no %s, then it is refused with that reason', (field, reason) => {
    const fields: Record<string, string> = { ...base };
    delete fields[field];
    expect(reasonOf(form(fields))).toBe(reason);
  });

  it('given an empty latitude, then it counts as missing', () => {
    expect(reasonOf(form({ ...base, location_latitude: '' }))).toBe('missing location_latitude');
  });

  it.each([
    ['location_latitude', '91', "location_latitude must be a number between -90 and 90: got '91'"],
    ['location_latitude', '-90.5', "location_latitude must be a number between -90 and 90: got '-90.5'"],
    ['location_longitude', '180.1', "location_longitude must be a number between -180 and 180: got '180.1'"],
    ['location_latitude', 'abc', "location_latitude must be a number between -90 and 90: got 'abc'"],
    ['location_latitude', '1e1', "location_latitude must be a number between -90 and 90: got '1e1'"],
    ['location_latitude', 'NaN', "location_latitude must be a number between -90 and 90: got 'NaN'"],
    ['location_accuracy', '-1', "location_accuracy must be a number between 0 and 20000000: got '-1'"],
    ['location_confidence', '101', "location_confidence must be a number between 0 and 100: got '101'"],
  ])('given %s=%s, then it is refused with the bounds and the value', (field, value, reason) => {
    expect(reasonOf(form({ ...base, [field]: value }))).toBe(reason);
  });

  it('given the boundary coordinates 90 and -180, then they are accepted', () => {
    expect(valueOf(form({ ...base, location_latitude: '90', location_longitude: '-180' })).reading).toMatchObject({ latitude: 90, longitude: -180 });
  });

  it('given 0,0, then it is refused as the no-fix placeholder', () => {
    expect(reasonOf(form({ ...base, location_latitude: '0.0', location_longitude: '0' }))).toMatch(/no-fix placeholder/);
  });

  it('given a comma decimal, then it is refused rather than guessed', () => {
    expect(reasonOf(form({ ...base, location_latitude: '-6,2' }))).toBe("location_latitude uses a comma decimal: '-6,2'");
    expect(reasonOf(form({ ...base, location_accuracy: '12,5' }))).toBe("location_accuracy uses a comma decimal: '12,5'");
  });

  it('given a device number with letters, then it is refused', () => {
    expect(reasonOf(form({ ...base, device_number: 'withheld' }))).toBe("device_number must be a phone number (E.164): got 'withheld'");
  });

  it('given a key twice, then it is refused: which value is true cannot be known', () => {
    expect(reasonOf(`${form(base)}&location_latitude=-6.3`)).toBe("duplicate field 'location_latitude'");
  });

  it('given a key twice once padded with spaces, then it is still a duplicate', () => {
    expect(reasonOf(`${form(base)}&%20v%20=4`)).toBe("duplicate field 'v'");
  });

  it('given a body over 16 KiB, then it is refused before parsing', () => {
    const body = `${form(base)}&padding=${'x'.repeat(MAX_AML_BODY_BYTES)}`;
    expect(reasonOf(body)).toMatch(/^the body is \d+ bytes; at most 16384 are accepted$/);
  });
});

describe('parseAmlForm: times', () => {
  it('given ms times, then location_time is the fix time and time is when it was sent', () => {
    const message = valueOf(form({ ...base, location_time: '1717401718000', time: '1717401723000' }));
    expect(message.reading.fixedAt).toBe(1717401718000);
    expect(message.sentAt).toBe(1717401723000);
  });

  it('given 10-digit seconds, then they are read as seconds and converted to ms', () => {
    const message = valueOf(form({ ...base, location_time: '1717401718', time: '1717401723' }));
    expect(message.reading.fixedAt).toBe(1717401718000);
    expect(message.sentAt).toBe(1717401723000);
  });

  it.each(['946684799999', '4102444800000', '12'])('given location_time=%s outside 2000-2099, then it is refused', (value) => {
    expect(reasonOf(form({ ...base, location_time: value }))).toBe(`location_time is not a plausible time (before 2000 or after 2099): got '${value}'`);
  });

  it.each(['1717401718000.5', '-1717401718000', 'yesterday'])('given location_time=%s, then it is refused as not whole ms', (value) => {
    expect(reasonOf(form({ ...base, location_time: value }))).toBe(`location_time must be a whole number of ms since the epoch: got '${value}'`);
  });
});

describe('parseAmlForm: tolerance', () => {
  it('given stray whitespace and a CRLF around values, then they are trimmed', () => {
    const body = 'location_latitude=%20-6.17539%20&location_longitude=106.82715%0D%0A&device_number=%2B6281234567890&location_source=%20GPS\r\n';
    expect(valueOf(body).reading).toMatchObject({ latitude: -6.17539, longitude: 106.82715, method: 'gnss' });
  });

  it('given fields in another order, then the message is the same', () => {
    const ordered = form({ ...base, location_accuracy: '10', location_time: '1717401718000' });
    const reordered = form({ location_time: '1717401718000', device_number: base.device_number, location_accuracy: '10', location_longitude: base.location_longitude, v: '3', location_latitude: base.location_latitude });
    expect(valueOf(reordered)).toEqual(valueOf(ordered));
  });

  it('given unknown fields, then they are kept in extras as given, never refused', () => {
    const message = valueOf(form({ ...base, cell_id: '0213454321', wifi_bssid: 'aa:bb:cc:dd:ee:ff', 'x-vendor': 'ünïcödé' }));
    expect(message.extras).toEqual({ cell_id: '0213454321', wifi_bssid: 'aa:bb:cc:dd:ee:ff', 'x-vendor': 'ünïcödé' });
  });

  it('given both confidence spellings, then location_confidence wins and the other is kept', () => {
    const message = valueOf(form({ ...base, location_confidence: '68', location_certainty: '90' }));
    expect(message.reading.confidencePct).toBe(68);
    expect(message.extras).toEqual({ location_certainty: '90' });
  });

  it('given a fractional confidence such as 0.68, then it is read as 0.68 %, never as 68 %', () => {
    expect(valueOf(form({ ...base, location_confidence: '0.68' })).reading.confidencePct).toBe(0.68);
  });

  it('given no v, then the version is empty rather than refused', () => {
    const noVersion: Record<string, string> = { ...base };
    delete noVersion.v;
    expect(valueOf(form(noVersion)).version).toBe('');
  });
});
