import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('given lab mode and nothing else, then lab secrets and the lab CDR path are used', () => {
    const config = loadConfig({ SIAGA112_MODE: 'lab', SIAGA112_LAB_ROOT: '/tmp/lab' });
    expect(config.SIAGA112_API_TOKEN).toBe('lab-api-token-change-me');
    expect(config.SIAGA112_CDR_PATH).toBe('/tmp/lab/rootfs/var/log/asterisk/cdr-custom/siaga112.jsonl');
    expect(config.SIAGA112_HTTP_PORT).toBe(3000);
  });

  it('given production mode without secrets, then start-up is refused naming each missing one', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/SIAGA112_API_TOKEN is required.*SIAGA112_ADMIN_TOKEN is required.*SIAGA112_ARI_PASSWORD is required.*SIAGA112_AMI_PASSWORD is required/);
  });

  it('given a bad value, then the error names the variable and the rule', () => {
    expect(() => loadConfig({ SIAGA112_MODE: 'lab', SIAGA112_HTTP_PORT: 'eighty' })).toThrow(/SIAGA112_HTTP_PORT: /);
    expect(() => loadConfig({ SIAGA112_MODE: 'lab', SIAGA112_API_TOKEN: 'short' })).toThrow('SIAGA112_API_TOKEN: must be at least 8 characters');
  });

  it('given SIAGA112_AGENCY_NUMBERS from an earlier version, then start-up is refused and says where the numbers live now', () => {
    expect(() => loadConfig({ SIAGA112_MODE: 'lab', SIAGA112_AGENCY_NUMBERS: 'damkar=0218812345' })).toThrow(/SIAGA112_AGENCY_NUMBERS is no longer read: .*PATCH \/api\/admin\/agencies/);
  });

  it('given production secrets, then numbers are coerced from strings', () => {
    const config = loadConfig({
      SIAGA112_API_TOKEN: 'a-long-token', SIAGA112_ADMIN_TOKEN: 'an-admin-token', SIAGA112_ARI_PASSWORD: 'ari-secret', SIAGA112_AMI_PASSWORD: 'ami-secret',
      SIAGA112_SUPERVISOR_TOKEN: 'a-supervisor-token', SIAGA112_OPERATOR_TOKENS: 'op001=first-operator-token, op002=second-operator-token',
      SIAGA112_MAX_LIVE_CALLS: '5',
    });
    expect(config.SIAGA112_MAX_LIVE_CALLS).toBe(5);
    expect(config.SIAGA112_MODE).toBe('production');
    expect(config.SIAGA112_OPERATOR_TOKENS).toEqual({ op001: 'first-operator-token', op002: 'second-operator-token' });
    expect(config.SIAGA112_SECRETS_KEY).toBeUndefined();
  });

  it('given an operator token list with a short token or a repeated operator, then start-up names the entry', () => {
    const base = { SIAGA112_MODE: 'lab' };
    expect(() => loadConfig({ ...base, SIAGA112_OPERATOR_TOKENS: 'op001=short' })).toThrow(/SIAGA112_OPERATOR_TOKENS: "op001=\.\.\." is not a valid operator=token entry/);
    expect(() => loadConfig({ ...base, SIAGA112_OPERATOR_TOKENS: 'op001=long-enough-1,op001=long-enough-2' })).toThrow(/op001 appears twice/);
  });

  it('given AML senders and HMAC keys, then each key must belong to a configured sender and the tokens and keys are read', () => {
    const base = { SIAGA112_MODE: 'lab', SIAGA112_AML_SENDERS: 'telkomsel=telkomsel-token-1,sms-gw=sms-gateway-token' };
    const config = loadConfig({ ...base, SIAGA112_AML_HMAC_KEYS: 'telkomsel=telkomsel-hmac-key' });
    expect(config.SIAGA112_AML_SENDERS).toEqual({ telkomsel: 'telkomsel-token-1', 'sms-gw': 'sms-gateway-token' });
    expect(config.SIAGA112_AML_HMAC_KEYS).toEqual({ telkomsel: 'telkomsel-hmac-key' });
    expect(() => loadConfig({ ...base, SIAGA112_AML_HMAC_KEYS: 'telkomse1=telkomsel-hmac-key' })).toThrow(/telkomse1 has an HMAC key but is not in SIAGA112_AML_SENDERS/);
    expect(loadConfig({ SIAGA112_MODE: 'lab' }).SIAGA112_AML_SENDERS).toEqual({ 'lab-gateway': 'lab-aml-token-change-me' });
  });

  it('given no SIAGA112_SIP_LOCATION, then it is on in the lab and off in production, as Asterisk\'s opt-in file is', () => {
    expect(loadConfig({ SIAGA112_MODE: 'lab' }).SIAGA112_SIP_LOCATION).toBe('on');
    expect(loadConfig({ SIAGA112_MODE: 'lab', SIAGA112_SIP_LOCATION: 'off' }).SIAGA112_SIP_LOCATION).toBe('off');
    const production = loadConfig({
      SIAGA112_API_TOKEN: 'a-long-token', SIAGA112_ADMIN_TOKEN: 'an-admin-token', SIAGA112_ARI_PASSWORD: 'ari-secret', SIAGA112_AMI_PASSWORD: 'ami-secret',
      SIAGA112_SUPERVISOR_TOKEN: 'a-supervisor-token', SIAGA112_OPERATOR_TOKENS: 'op001=first-operator-token',
    });
    expect(production.SIAGA112_SIP_LOCATION).toBe('off');
  });
});

describe('the secrets key', () => {
  it('given a 64-hex key, then agencies\' signing keys can be sealed with its 32 bytes; given a short one, then start-up names the variable but not the value', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ SIAGA112_MODE: 'lab', SIAGA112_SECRETS_KEY: hex }).SIAGA112_SECRETS_KEY?.toString('hex')).toBe(hex);
    expect(() => loadConfig({ SIAGA112_MODE: 'lab', SIAGA112_SECRETS_KEY: 'abcd1234abcd' })).toThrow(/SIAGA112_SECRETS_KEY: SIAGA112_SECRETS_KEY must be 32 bytes/);
    expect(() => loadConfig({ SIAGA112_MODE: 'lab', SIAGA112_SECRETS_KEY: 'abcd1234abcd' })).not.toThrow(/abcd1234abcd/);
  });
});
