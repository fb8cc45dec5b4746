import { describe, expect, it } from 'vitest';
import type { AgentConfig } from './config/index.ts';
import { activationFacts, appVersionOf } from './agent-collector.ts';

const pii = (on: boolean) => ({ pii: { hostname: on, username: on, ip: on, mac: on } }) as unknown as AgentConfig;
const desired = { is_vm: true, vm_type: 'kvm', hostname: 'ws-1', ip_address: '10.0.0.2', mac_address: 'aa:bb:cc:dd:ee:ff' };

describe('the device facts activate_license is given', () => {
  it('hostname, ip and mac only when the PII setting allows each; the VM facts always', () => {
    expect(activationFacts(pii(false))(desired)).toEqual({ isVm: true, vmInfo: 'kvm' });
    expect(activationFacts(pii(true))(desired)).toEqual({ isVm: true, vmInfo: 'kvm', hostname: 'ws-1', ip: '10.0.0.2', macAddress: 'aa:bb:cc:dd:ee:ff' });
  });
  it('leaves out empty or mistyped values', () => {
    expect(activationFacts(pii(true))({ is_vm: 'yes', vm_type: '', hostname: '', ip_address: 3 })).toEqual({});
  });
  it('app_version: the configured one wins over the host application\'s', () => {
    expect(appVersionOf({ appVersion: '2.0' } as AgentConfig, { appVersion: '1.0' })).toBe('2.0');
    expect(appVersionOf({} as AgentConfig, { appVersion: '1.0' })).toBe('1.0');
  });
});
