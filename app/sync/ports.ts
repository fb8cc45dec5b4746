// What the sync engine needs from the outside world, as small structural types.
// The real License API client (app/licenseapi/client.ts) and collector (app/collect/)
// satisfy them; bench/fleet can hand in counters with the same shape.
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import type { ActivationInput, DeviceVariable, LicenseIdentity, LicenseInfo, TrackInput } from '../licenseapi/schemas.ts';
import type { VariableSourceView } from '../agent-api.ts';
import type { VariableMap } from '../variables.ts';

/** Who the values belong to: the client's own identity type. */
export type SyncIdentity = LicenseIdentity;
export type TrackRequest = TrackInput;
export type ActivateRequest = ActivationInput;
export type LicenseFacts = Partial<Omit<LicenseInfo, 'raw'>>;

/** Per call: `signal` aborts the request in flight (the engine stopping). */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * The License API calls the engine makes. Failures reject with an `ApiErrorLike`. The
 * last three are optional: a port without them (bench/fleet's counters, unit tests)
 * gets the engine's behaviour without license checks, reconciliation or deactivation.
 */
export interface LicenseApiPort {
  trackDeviceVariables(request: TrackRequest, options?: CallOptions): Promise<unknown>;
  activateLicense(request: ActivateRequest, options?: CallOptions): Promise<unknown>;
  /** check_license: the license's type, state and validity. */
  checkLicense?(identity: SyncIdentity, options?: CallOptions): Promise<LicenseFacts>;
  /** get_device_variables: what the server holds for this device. */
  getDeviceVariables?(identity: SyncIdentity, options?: CallOptions): Promise<ReadonlyArray<Pick<DeviceVariable, 'variable' | 'value' | 'createdAt'>>>;
  /** deactivate_license. */
  deactivateLicense?(identity: SyncIdentity, options?: CallOptions): Promise<void>;
}

/** The shape of a client error the engine acts on (LicenseApiError has it). */
export interface ApiErrorLike {
  code: string;
  errorClass: ErrorClass;
  summary: string;
  remedy: string;
  retryAfterMs?: number | undefined;
  /** False when the error must not park the agent (see CycleOutcome). */
  parkable?: boolean | undefined;
  /** True when the error reply's signature verified. */
  signed?: boolean | undefined;
}

export interface CollectionFailure {
  collector: string;
  message: string;
}

export interface CollectionResult {
  values: VariableMap;
  failures: readonly CollectionFailure[];
  durationMs: number;
}

export interface CollectorPort {
  /** Facts that rarely change (OS, CPU model, RAM total…): at start and every 24 h. */
  collectStatic(): Promise<CollectionResult>;
  /** Metrics read every cycle (load, memory used, disk free…), with the variables other programs and the managed file's sources give. */
  collectDynamic(): Promise<CollectionResult>;
  /** What each drop-in file and managed source did at the last collection (app/collect/variable-sources.ts). */
  sources?(): VariableSourceView[];
}

/** Timers and time, injectable so tests and bench/fleet can drive a virtual clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function isApiErrorLike(value: unknown): value is ApiErrorLike {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.errorClass === 'string' && typeof v.summary === 'string' && typeof v.remedy === 'string';
}
