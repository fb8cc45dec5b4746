// The engine's options and model as the pure engine tests (engine-step, engine-status,
// cycle-transitions) start from: one device, one license, a 15-minute interval.
import type { EngineOptions } from '../../app/sync/engine-options.ts';
import { initialModel } from '../../app/sync/engine-model.ts';
import type { Model } from '../../app/sync/engine-model.ts';
import { emptySyncState } from '../../app/state/sync-state.ts';

export const engineOptions = (over: Partial<EngineOptions> = {}): EngineOptions => ({
  identity: { product: 'demo', hardwareId: 'hw-1', licenseKey: 'AAAA-BBBB' },
  intervalMs: 15 * 60_000,
  autoActivate: true,
  display: { apiUrl: 'https://api.example', usingSandbox: false, licenseDisplay: 'AAAA-…' },
  ...over,
});

/** The model of a new engine (not started) over an empty state. */
export const newModel = (over: Partial<Model> = {}): Model => ({ ...initialModel(engineOptions(), emptySyncState(), 0), ...over });
