// The hardware id a licensed program wrote to a file (the `hardwareIdFile`
// setting): the way to match that program's id where the agent cannot compute it
// (Windows and macOS, where LicenseSpring's SDK fingerprints the machine its own
// way). Read at start and again at every sync, bounded in size, validated like a
// configured id. The file is the licensed program's, so every problem names it.
import { open } from 'node:fs/promises';
import { IdentityConfigError, validateHardwareIdOverride } from './resolve-identity.ts';

/** A hardware id file holds one line of at most 256 characters; anything this large is not one. */
export const HARDWARE_ID_FILE_MAX_BYTES = 4096;

/** Reads and validates the id in `path`; throws IdentityConfigError (field hardwareIdFile) naming the file and the problem. */
export async function readHardwareIdFile(path: string): Promise<string> {
  const fail = (problem: string): never => { throw new IdentityConfigError('hardwareIdFile', `${path} ${problem}`); };
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'does not exist (yet): the licensed program writes it' : `cannot be read (${code ?? 'error'})`);
  }
  let text: string;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return fail('is not a regular file');
    const buffer = Buffer.alloc(HARDWARE_ID_FILE_MAX_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > HARDWARE_ID_FILE_MAX_BYTES) return fail(`is larger than ${HARDWARE_ID_FILE_MAX_BYTES} bytes: it cannot hold just a hardware id`);
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, bytesRead));
  } catch (error) {
    if (error instanceof IdentityConfigError) throw error;
    return fail(error instanceof TypeError ? 'is not UTF-8 text' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    await handle.close();
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length === 0) return fail('is empty: the licensed program has not written its hardware id yet');
  if (lines.length > 1) return fail(`holds ${lines.length} lines; it must hold the hardware id alone`);
  try {
    return validateHardwareIdOverride(lines[0]!, 'hardwareIdFile');
  } catch (error) {
    return fail(`holds an unusable id: ${(error as Error).message.replace(/^hardwareIdFile: /, '')}`);
  }
}
