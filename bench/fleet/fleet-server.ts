// The License API as the fleet sees it: an in-process counter with the sandbox's
// reply rules. Up: every request succeeds (200). Down: the connection is refused,
// or the server answers 503 (with Retry-After when asked). The errors come from
// the real client's error factories, so the engine classifies them as it would
// in the field. Every request lands in a one-minute bucket and in a running
// digest of (agent, time) that tells two runs apart if a single request differs.
import { errorFromReply, errorFromTransport } from '../../app/licenseapi/errors.ts';
import type { LicenseApiError } from '../../app/licenseapi/errors.ts';
import type { LicenseApiPort, LicenseFacts } from '../../app/sync/ports.ts';
import { hashInts } from './random.ts';

export type DownReply = 'refused' | '503';

/** A window in which the server is down, in ms from the start of the run. */
export interface Outage {
  startMs: number;
  endMs: number;
}

export interface FleetServerOptions {
  /** Virtual time of bucket 0. */
  start: number;
  agents: number;
  bucketMs: number;
  buckets: number;
  outages: readonly Outage[];
  downReply: DownReply;
  /** Retry-After (seconds) on the 503s; none when undefined. */
  retryAfterS?: number | undefined;
  /** Answer check_license too (an active, enabled perpetual license); without it the port has no such call. */
  checkLicense?: boolean;
  now: () => number;
}

export interface RequestCounts {
  /** Requests per bucket, answered or not (a refused connection counts: the agent tried). */
  requests: Uint32Array;
  /** Of those, the ones that failed because the server was down. */
  failed: Uint32Array;
  /** Requests per agent over the whole run. */
  perAgent: Uint32Array;
  /** Variables carried by the successful requests. */
  variablesSent: number;
  /** Running hash of every request's (agent, time). */
  digest: number;
  /** check_license requests among `requests`. */
  licenseChecks: number;
  /** When each agent's first request came (ms from the start; NaN: none). */
  firstAt: Float64Array;
}

export interface FleetServer {
  /** Handles one request from `agent` carrying `variableCount` variables: undefined when it succeeded. */
  receive(agent: number, variableCount: number): LicenseApiError | undefined;
  /** Handles one check_license from `agent` (counted among the requests and apart): undefined when it succeeded. */
  receiveLicenseCheck(agent: number): LicenseApiError | undefined;
  /** The same as the engine's License API port (the agent is read from the hardware id). */
  port: LicenseApiPort;
  counts: RequestCounts;
}

const HARDWARE_ID_PREFIX = 'fleet-agent-';

/** What check_license answers every agent: a license that can be used (the storm is about load, not license trouble). */
const ACTIVE_LICENSE: LicenseFacts = { licenseType: 'perpetual', licenseEnabled: true, licenseActive: true, isExpired: false };

export function hardwareIdOf(agent: number): string {
  return `${HARDWARE_ID_PREFIX}${agent}`;
}

function agentOf(hardwareId: string): number {
  const agent = Number(hardwareId.slice(HARDWARE_ID_PREFIX.length));
  if (!hardwareId.startsWith(HARDWARE_ID_PREFIX) || !Number.isInteger(agent)) throw new Error(`not a fleet hardware id: ${hardwareId}`);
  return agent;
}

function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
}

export function createFleetServer(options: FleetServerOptions): FleetServer {
  const counts: RequestCounts = {
    requests: new Uint32Array(options.buckets),
    failed: new Uint32Array(options.buckets),
    perAgent: new Uint32Array(options.agents),
    variablesSent: 0,
    digest: 0,
    licenseChecks: 0,
    firstAt: new Float64Array(options.agents).fill(Number.NaN),
  };
  const outages = options.outages.map((o) => ({ startMs: options.start + o.startMs, endMs: options.start + o.endMs }));
  const isDown = (at: number) => outages.some((o) => at >= o.startMs && at < o.endMs);
  const downError = () => options.downReply === 'refused'
    ? errorFromTransport(connectionRefused(), false)
    : errorFromReply(503, 'service_unavailable', options.retryAfterS === undefined ? undefined : options.retryAfterS * 1000);

  function receive(agent: number, variableCount: number): LicenseApiError | undefined {
    const at = options.now();
    const bucket = Math.floor((at - options.start) / options.bucketMs);
    const counted = bucket >= 0 && bucket < options.buckets;
    if (counted) counts.requests[bucket]!++;
    if (agent >= 0 && agent < options.agents) {
      counts.perAgent[agent]!++;
      if (Number.isNaN(counts.firstAt[agent]!)) counts.firstAt[agent] = at - options.start;
    }
    counts.digest = hashInts(counts.digest, agent, at - options.start);
    if (isDown(at)) {
      if (counted) counts.failed[bucket]!++;
      return downError();
    }
    counts.variablesSent += variableCount;
    return undefined;
  }

  const answer = (agent: number, variableCount: number): Promise<unknown> => {
    const error = receive(agent, variableCount);
    return error === undefined ? Promise.resolve([]) : Promise.reject(error);
  };

  const port: LicenseApiPort = {
    trackDeviceVariables: (request) => answer(agentOf(request.hardwareId), Object.keys(request.variables).length),
    activateLicense: (request) => answer(agentOf(request.hardwareId), Object.keys(request.variables ?? {}).length),
  };
  const receiveLicenseCheck = (agent: number) => {
    counts.licenseChecks++;
    return receive(agent, 0);
  };
  if (options.checkLicense === true) {
    port.checkLicense = (identity) => {
      const error = receiveLicenseCheck(agentOf(identity.hardwareId));
      return error === undefined ? Promise.resolve({ ...ACTIVE_LICENSE }) : Promise.reject(error);
    };
  }
  return { receive, receiveLicenseCheck, counts, port };
}
