// <stateDir>/identity.json: the hostname and hardware id seen at first run, and
// the generated id of a machine whose OS gives none. Written atomically
// (temp file + rename), so a crash never leaves half a file; private (0600) and
// never through a link. Read bounded, links and special files refused unread.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../files/private-files.ts';
import { FileReadError, readBoundedText } from '../files/read-bounded.ts';
import { jsonSyntaxProblem } from '../files/json-problem.ts';
import { pruneQuarantine, quarantinePath } from '../files/quarantine.ts';

export const IDENTITY_FILE_NAME = 'identity.json';
/** A real record is ~200 bytes. */
export const IDENTITY_MAX_BYTES = 64 * 1024;

const identityRecordSchema = z.object({
  version: z.literal(1),
  /** The hardware id in use when `hostname` was recorded. */
  hardwareId: z.string().min(1),
  /** The hostname at first run under `hardwareId`. */
  hostname: z.string(),
  firstSeenAt: z.number().int().nonnegative(),
  /** The persisted random id, when the OS gave no usable machine id. */
  generatedId: z.string().regex(/^[0-9a-f]{64}$/).optional(),
}).strict();

export type IdentityRecord = z.infer<typeof identityRecordSchema>;

export interface ReadIdentityResult {
  record?: IdentityRecord;
  warnings: string[];
}

export function identityFilePath(stateDir: string): string {
  return join(stateDir, IDENTITY_FILE_NAME);
}

/**
 * Reads the record. A missing file is a first run; an unreadable or invalid
 * one is moved aside (`identity.json.corrupt-<time>`) with a warning.
 */
export async function readIdentityFile(stateDir: string, now: () => number = Date.now): Promise<ReadIdentityResult> {
  const path = identityFilePath(stateDir);
  let text: string | undefined;
  let problem = 'invalid record';
  try {
    text = readBoundedText(path, { maxBytes: IDENTITY_MAX_BYTES, mode: 'own' });
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    if (error.problem === 'missing') return { warnings: [] };
    if (error.problem !== 'too-large' && error.problem !== 'link' && error.problem !== 'not-a-file') {
      return { warnings: [`could not read ${path}: ${error.message}`] };
    }
    problem = error.message;
  }
  if (text !== undefined) {
    try {
      const parsed = identityRecordSchema.safeParse(JSON.parse(text));
      if (parsed.success) return { record: parsed.data, warnings: [] };
      const issue = parsed.error.issues[0];
      problem = issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'invalid record';
    } catch (error) {
      problem = `not JSON (${jsonSyntaxProblem(text, error)})`;
    }
  }
  const aside = quarantinePath(path, now());
  try {
    await rename(path, aside);
    pruneQuarantine(path);
    return { warnings: [`${path} was invalid (${problem}); moved it to ${aside} and started a new identity record`] };
  } catch (error) {
    return { warnings: [`${path} is invalid (${problem}) and could not be moved aside: ${(error as Error).message}`] };
  }
}

/** Writes the record atomically: a temp file in the same directory, flushed, then renamed over the old one. */
export async function writeIdentityFile(stateDir: string, record: IdentityRecord): Promise<void> {
  const valid = identityRecordSchema.parse(record);
  await mkdir(stateDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const path = identityFilePath(stateDir);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', PRIVATE_FILE_MODE); // O_EXCL: never through a link
    try {
      if (process.platform !== 'win32') await handle.chmod(PRIVATE_FILE_MODE);
      await handle.writeFile(`${JSON.stringify(valid, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
