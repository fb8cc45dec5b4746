import { describe, expect, it } from 'vitest';
import { LicenseApiError } from './errors.ts';
import { activationBody, identityQuery, trackBody } from './request-bodies.ts';

const id = { product: 'demo', hardwareId: 'hw-1', licenseKey: 'AAAA-BBBB' };

describe('the requests the client sends', () => {
  it('activate_license: the SDK\'s wire names for the device facts', () => {
    expect(activationBody({ ...id, appVersion: '1.2', osVersion: 'Linux 6', isVm: true, vmInfo: 'kvm', macAddress: 'aa:bb:cc:dd:ee:ff' })).toEqual({
      product: 'demo', hardware_id: 'hw-1', license_key: 'AAAA-BBBB', app_ver: '1.2', os_ver: 'Linux 6', is_vm: true, vm_info: 'kvm', mac_address: 'aa:bb:cc:dd:ee:ff',
    });
  });

  it('track_device_variables: identity and a copy of the variables', () => {
    expect(trackBody({ ...id, variables: { os: 'linux', cores: 4 } })).toEqual({ product: 'demo', hardware_id: 'hw-1', license_key: 'AAAA-BBBB', variables: { os: 'linux', cores: 4 } });
  });

  it('refuses a request that breaks the limits, naming the rule, before any schema', () => {
    const refused = (() => { try { trackBody({ ...id, variables: { n: Number.NaN } }); } catch (e) { return e; } })();
    expect(refused).toBeInstanceOf(LicenseApiError);
    expect((refused as LicenseApiError).code).toBe('invalid_request');
    expect((refused as LicenseApiError).detail).toMatch(/finite/);
  });

  it('a GET identity leaves out what is not set', () => {
    expect(identityQuery({ product: 'demo', hardwareId: 'hw-1', username: 'a@b.c' })).toEqual({ product: 'demo', hardware_id: 'hw-1', username: 'a@b.c' });
  });
});
