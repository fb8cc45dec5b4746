// The HTTP face of fault injection and admin, under /__admin/: refused unless the
// peer is loopback, and guarded by `Authorization: Bearer <adminToken>`.
//   POST   /__admin/faults          {"rules": FaultRule[]}
//   DELETE /__admin/faults
//   GET    /__admin/requests
//   DELETE /__admin/requests
//   POST   /__admin/license-state   {"license": key or username, "enabled"?: bool, "active"?: bool, "validityPeriod"?: ISO date | null}
//   POST   /__admin/licenses        {"product", "licenseKey"?, "username"?, "password"?, "maxActivations"?, "licenseType"?, "isTrial"?,
//                                    "validityPeriod"?, "startDate"?, "maxTransfers"?, "enabled"?, "active"?} → {id, licenseKey?}
//   POST   /__admin/products        {"code", "authorizationMethod": "license-key"|"user", "name"?, "status"?, "hmacRequired"?}
//   POST   /__admin/product-state   {"product", "status"?: "enabled"|"disabled"|"archived", "hmacRequired"?: bool}
//   POST   /__admin/blacklist       {"product", "hardwareId"}
//   GET    /__admin/device-variables?product=…&hardware_id=…
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { LICENSE_TYPES } from '../app/licenseapi/license-types.ts';
import type { SandboxAdmin } from './admin.ts';
import { parseFaultRule } from './faults.ts';
import type { FaultSet } from './faults.ts';

export interface AdminReply { status: number; body: unknown }

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^127\./.test(address) || /^::ffff:127\./i.test(address);
}

function tokenMatches(headers: IncomingHttpHeaders, adminToken: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'utf8');
  const expected = Buffer.from(adminToken, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const fail = (status: number, code: string, message: string): AdminReply => ({ status, body: { status, code, message } });

const faultsBody = z.object({ rules: z.array(z.unknown()).min(1) }).strict();
const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 date');
const licenseStateBody = z.object({ license: z.string().min(1), enabled: z.boolean().optional(), active: z.boolean().optional(), validityPeriod: isoDate.nullable().optional() }).strict();
const productStatus = z.enum(['enabled', 'disabled', 'archived']);
const newLicenseBody = z.object({
  product: z.string().min(1), licenseKey: z.string().min(1).optional(), username: z.string().min(1).optional(), password: z.string().optional(),
  maxActivations: z.number().int().min(0).optional(), enabled: z.boolean().optional(), active: z.boolean().optional(),
  licenseType: z.enum(LICENSE_TYPES).optional(), isTrial: z.boolean().optional(), validityPeriod: isoDate.nullable().optional(),
  startDate: isoDate.nullable().optional(), maxTransfers: z.number().int().min(-1).optional(),
}).strict();
const newProductBody = z.object({
  code: z.string().min(1).max(64), authorizationMethod: z.enum(['license-key', 'user']), name: z.string().min(1).optional(),
  status: productStatus.optional(), hmacRequired: z.boolean().optional(),
}).strict();
const productStateBody = z.object({ product: z.string().min(1), status: productStatus.optional(), hmacRequired: z.boolean().optional() }).strict();
const blacklistBody = z.object({ product: z.string().min(1), hardwareId: z.string().min(1) }).strict();

function parseBody<S extends z.ZodType>(schema: S, raw: Buffer): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Error('body is not valid JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return result.data;
}

/** zod's optional fields come back as `T | undefined`; the admin API takes them absent. */
function withoutUndefined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

export interface AdminRouteDeps { adminToken: string; faults: FaultSet; admin: SandboxAdmin }

export function handleAdminRoute(
  request: { method: string; pathname: string; query: URLSearchParams; headers: IncomingHttpHeaders; peer: string | undefined; raw: Buffer },
  deps: AdminRouteDeps,
): AdminReply {
  if (!isLoopbackAddress(request.peer)) return fail(403, 'admin_forbidden', 'The admin route only answers loopback peers');
  if (!tokenMatches(request.headers, deps.adminToken)) return fail(401, 'admin_unauthorized', 'Missing or wrong admin token');
  const route = `${request.method} ${request.pathname}`;
  try {
    switch (route) {
      case 'POST /__admin/faults': {
        const rules = parseBody(faultsBody, request.raw).rules.map((rule, i) => {
          try {
            return parseFaultRule(rule);
          } catch (error) {
            throw new Error(`rules[${i}]: ${(error as Error).message}`, { cause: error });
          }
        });
        for (const rule of rules) deps.faults.inject(rule);
        return { status: 200, body: { injected: rules.length, active: deps.faults.size } };
      }
      case 'DELETE /__admin/faults':
        deps.faults.clear();
        return { status: 200, body: { active: 0 } };
      case 'GET /__admin/requests':
        return { status: 200, body: deps.admin.requests() };
      case 'DELETE /__admin/requests':
        deps.admin.resetRequestLog();
        return { status: 200, body: { ok: true } };
      case 'POST /__admin/license-state': {
        const { license, ...state } = parseBody(licenseStateBody, request.raw);
        deps.admin.setLicenseState(license, withoutUndefined(state));
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__admin/licenses': {
        const body = parseBody(newLicenseBody, request.raw);
        return { status: 200, body: deps.admin.addLicense(withoutUndefined(body)) };
      }
      case 'POST /__admin/products': {
        deps.admin.addProduct(withoutUndefined(parseBody(newProductBody, request.raw)));
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__admin/product-state': {
        const { product, ...state } = parseBody(productStateBody, request.raw);
        deps.admin.setProductState(product, withoutUndefined(state));
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__admin/blacklist': {
        const { product, hardwareId } = parseBody(blacklistBody, request.raw);
        deps.admin.blacklist(product, hardwareId);
        return { status: 200, body: { ok: true } };
      }
      case 'GET /__admin/device-variables': {
        const product = request.query.get('product');
        const hardwareId = request.query.get('hardware_id');
        if (!product || !hardwareId) throw new Error('product and hardware_id query parameters are required');
        return { status: 200, body: deps.admin.deviceVariables(product, hardwareId) };
      }
      default:
        return fail(404, 'not_found', `No admin route ${route}`);
    }
  } catch (error) {
    return fail(400, 'admin_bad_request', (error as Error).message);
  }
}
