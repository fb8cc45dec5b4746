import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { enablePowerEvents } from './power-events.ts';

describe('enablePowerEvents', () => {
  it('triggers a sync on resume, unlock and when the network comes back; stops on dispose', () => {
    const power = new EventEmitter();
    let online = true;
    let tick: () => void = () => undefined;
    const trigger = vi.fn();
    const clear = vi.fn();
    const off = enablePowerEvents({ powerMonitor: power as never, isOnline: () => online, trigger, setInterval: (fn) => { tick = fn; return {}; }, clearInterval: clear });
    power.emit('resume');
    power.emit('unlock-screen');
    expect(trigger.mock.calls).toEqual([['resume'], ['resume']]);
    online = false; tick();
    tick();
    expect(trigger).toHaveBeenCalledTimes(2);
    online = true; tick();
    expect(trigger).toHaveBeenLastCalledWith('network-back');
    tick();
    expect(trigger).toHaveBeenCalledTimes(3);
    off();
    power.emit('resume');
    expect(trigger).toHaveBeenCalledTimes(3);
    expect(clear).toHaveBeenCalledOnce();
  });
});
