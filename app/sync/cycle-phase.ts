// One sync cycle as data (issue 14): the phase it is in and what it carries from one
// request to the next (Model.cycle while a cycle runs), the events that answer its requests
// and the effects that ask them. cycle-step.ts is the pure function over them; cycle.ts
// performs the effects over the ports.
import type { CollectorFailure, SyncResult, SyncTrigger, VariableSourceView } from '../agent-api.ts';
import type { VariableMap } from '../variables.ts';
import type { CollectionResult, LicenseFacts, SyncIdentity } from './ports.ts';

/** The outcome of a cycle stopped by stop() while its request was in flight: nothing was confirmed, nothing is recorded. */
export const CANCELLED = Symbol('cancelled');

export type CycleOutcomeInput = { ok: true } | { ok: false; error: unknown };

export interface CycleEnd {
  result: SyncResult;
  outcome: CycleOutcomeInput;
}

export type CyclePhase = 'hardware-id' | 'collecting-static' | 'collecting' | 'checking-license' | 'reading-back' | 'sending' | 'activating' | 'license-words';

/** The cycle in flight: its phase and what it learnt so far. */
export interface CycleRun {
  phase: CyclePhase;
  trigger: SyncTrigger;
  /** When the cycle began: the time of everything it records. */
  now: number;
  /** Collector failures so far (start()'s, the static and the dynamic collection's). */
  failures: readonly CollectorFailure[];
  /** From the collection on: the identity hash, whether it changed, the desired values. */
  hash?: string;
  identityChanged?: boolean;
  desired?: VariableMap;
  /** While sending: what, whether a full refresh, and why (the plan's reason). */
  variables?: VariableMap;
  full?: boolean;
  reason?: string;
  /** While activating: the values the activation carries. */
  activating?: VariableMap;
  /** While asking the license in words: the error the cycle ends with. */
  error?: unknown;
}

export type CycleEvent =
  | { type: 'cycle-started'; trigger: SyncTrigger; now: number }
  | { type: 'hardware-id-read'; hardwareId: string }
  | { type: 'hardware-id-failed'; error: unknown }
  | { type: 'static-collected'; result: CollectionResult }
  | { type: 'static-failed'; message: string }
  /** The dynamic metrics (or why not), with what each drop-in file and managed source did. */
  | { type: 'collected'; result: CollectionResult; sources: VariableSourceView[] }
  | { type: 'collect-failed'; message: string; sources: VariableSourceView[] }
  | { type: 'license-checked'; facts: LicenseFacts }
  | { type: 'license-check-failed'; error: unknown }
  | { type: 'server-read'; held: Record<string, string> }
  | { type: 'read-failed'; error: unknown }
  | { type: 'sent' }
  | { type: 'send-failed'; error: unknown }
  | { type: 'activated'; reply: unknown }
  | { type: 'activation-failed'; error: unknown }
  /** A bug in a collector or port escaped every guard. */
  | { type: 'crashed'; error: unknown; now: number };

export type CycleEffect =
  | { type: 'read-hardware-id' }
  | { type: 'collect-static' }
  | { type: 'collect-dynamic' }
  | { type: 'check-license'; identity: SyncIdentity }
  | { type: 'get-variables'; identity: SyncIdentity }
  | { type: 'track'; identity: SyncIdentity; variables: VariableMap }
  /** The request is the options' identity, activation fields and activationFacts(desired), with `desired` as its variables. */
  | { type: 'activate'; desired: VariableMap }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields: Record<string, unknown> | undefined }
  | { type: 'end'; end: CycleEnd };

/** What the step knows besides the model: the time, stop()'s abort, and what the client can ask. */
export interface CycleCtx {
  now: number;
  /** stop() aborted this cycle's request. */
  cancelling: boolean;
  can: { checkLicense: boolean; getVariables: boolean };
}
