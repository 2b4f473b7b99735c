import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAmlForm, verifyAmlHmac } from '../../../../src/location/aml/aml-https.js';
import { amlFixture } from './fixtures.js';

const KEY = 'siaga112-lab-key';
const signed = amlFixture('https-v3-jakarta-signed.txt');
const unsigned = signed.slice(0, signed.lastIndexOf('&hmac='));
const hex = signed.slice(signed.lastIndexOf('&hmac=') + 6);

describe('verifyAmlHmac', () => {
  it('given the aml-lib sample and its key, then the signature is valid', () => {
    expect(verifyAmlHmac(amlFixture('https-aml-lib-signed.txt'), 'AML')).toBe('valid');
  });

  it('given a body signed with our key, then it is valid, and the hex may be upper case', () => {
    expect(verifyAmlHmac(signed, KEY)).toBe('valid');
    expect(verifyAmlHmac(`${unsigned}&hmac=${hex.toUpperCase()}`, KEY)).toBe('valid');
  });

  it('given a trailing CRLF after the signature, then it is still valid', () => {
    expect(verifyAmlHmac(`${signed}\r\n`, KEY)).toBe('valid');
  });

  it('given the wrong key, then it is invalid', () => {
    expect(verifyAmlHmac(signed, 'another-key')).toBe('invalid');
  });

  it('given one changed digit in the latitude, then it is invalid', () => {
    expect(verifyAmlHmac(signed.replace('-6.17539', '-6.17538'), KEY)).toBe('invalid');
  });

  it('given a field appended after the signature, then it is invalid: that field is not signed', () => {
    expect(verifyAmlHmac(`${signed}&location_latitude=1`, KEY)).toBe('invalid');
  });

  it.each([
    ['a short hex', `${unsigned}&hmac=${hex.slice(0, 39)}`],
    ['a non-hex character', `${unsigned}&hmac=${hex.slice(0, 39)}g`],
    ['a SHA-256 length hex', `${unsigned}&hmac=${hex}${hex.slice(0, 24)}`],
  ])('given %s, then it is invalid', (_what, body) => {
    expect(verifyAmlHmac(body, KEY)).toBe('invalid');
  });

  it('given no hmac field or an empty one, then it is missing', () => {
    expect(verifyAmlHmac(unsigned, KEY)).toBe('missing');
    expect(verifyAmlHmac(`${unsigned}&hmac=`, KEY)).toBe('missing');
  });

  it('given a body that is only an hmac field, then it is invalid: it signs nothing', () => {
    const sig = createHmac('sha1', KEY).update('').digest('hex');
    expect(verifyAmlHmac(`hmac=${sig}`, KEY)).toBe('invalid');
  });

  it('given a signed body, then parsing it keeps the hmac out of extras', () => {
    const result = parseAmlForm(signed);
    expect(result.ok && Object.keys(result.value.extras)).not.toContain('hmac');
    expect(result.ok).toBe(true);
  });
});
