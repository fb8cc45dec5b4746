// What every endpoint handler receives and returns.
import type { AuthContext } from '../auth.ts';
import type { SandboxDb } from '../db.ts';
import type { KeyPair } from '../signing.ts';

export interface EndpointContext {
  db: SandboxDb;
  /** Server clock for this request (ms). */
  now: number;
  keys: KeyPair;
  auth: AuthContext;
}

export interface EndpointReply { status: number; body: unknown }

/** `input` is the parsed JSON body (POST) or the query parameters (GET). */
export type EndpointHandler = (input: unknown, ctx: EndpointContext) => EndpointReply;
