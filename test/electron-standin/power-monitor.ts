// powerMonitor: an event emitter that, since Electron 25 (#37937), may be
// listened to before ready. Tests deliver suspend/resume/lock events through
// the control channel.
import type { PowerMonitor as ElectronPowerMonitor } from 'electron';
import { EventEmitter } from 'node:events';
import type { OnlyElectronKeys } from './exact.ts';

type PowerMonitorMembers = 'getSystemIdleState' | 'getSystemIdleTime' | 'getCurrentThermalState' | 'isOnBatteryPower' | 'onBatteryPower';

class StandinPowerMonitor extends EventEmitter implements Pick<ElectronPowerMonitor, PowerMonitorMembers> {
  getSystemIdleState(idleThreshold: number): 'active' | 'idle' | 'locked' | 'unknown' {
    if (!(idleThreshold > 0)) throw new TypeError('Invalid idle threshold, must be greater than 0');
    return 'active';
  }
  getSystemIdleTime(): number { return 0; }
  getCurrentThermalState(): 'unknown' | 'nominal' | 'fair' | 'serious' | 'critical' { return 'unknown'; }
  isOnBatteryPower(): boolean { return false; }
  get onBatteryPower(): boolean { return this.isOnBatteryPower(); }
}

const exact: OnlyElectronKeys<StandinPowerMonitor, ElectronPowerMonitor> = true;
void exact;

export const powerMonitor = new StandinPowerMonitor();
