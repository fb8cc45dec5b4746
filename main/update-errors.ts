// What went wrong with an update, for a person and for the updater's decisions: the
// network error or the server's answer in a sentence, a failed verification told apart
// from a failed transfer, and a check that never answered.
import { printable } from '../app/printable.ts';

/** What went wrong, for a person: the network error or the server's answer, never a stack or a whole reply. */
export function describeUpdateError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; statusCode?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const net = /net::ERR_[A-Z_]+/.exec(message)?.[0];
  if (net) return `the update server could not be reached (${net})`;
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') return `the update server has no ${/"([^"]+)"/.exec(message)?.[1] ?? 'update file'} for this channel`;
  if (code === 'ERR_UPDATER_INVALID_UPDATE_INFO') return 'the update server\'s update file could not be read';
  if (code === 'ERR_UPDATER_INVALID_VERSION') return 'the update server names a version that is not a valid version number';
  if (code.startsWith('HTTP_ERROR_')) return `the update server answered HTTP ${code.slice('HTTP_ERROR_'.length)}`;
  const status = /status (\d{3})/.exec(message)?.[1];
  if (status) return `the update server answered HTTP ${status}`;
  const first = message.split('\n')[0] ?? '';
  return printable(first.length > 160 ? `${first.slice(0, 159)}…` : first);
}

export function isVerificationFailure(error: unknown): 'checksum' | 'signature' | undefined {
  const e = error as { code?: unknown; message?: unknown };
  if (e?.code === 'ERR_CHECKSUM_MISMATCH' || (typeof e?.message === 'string' && /checksum mismatch/i.test(e.message))) return 'checksum';
  if (e?.code === 'ERR_UPDATER_INVALID_SIGNATURE') return 'signature';
  return undefined;
}

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`the update server did not answer within ${Math.round(ms / 1000)} s`);
  }
}

/** `check` bounded by `ms` (Electron's net.request has no timeout of its own). */
export function withinCheckTimeout<T>(check: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new CheckTimeout(ms)), ms);
    t.unref?.();
    check().then((r) => { clearTimeout(t); resolve(r); }, (e: unknown) => { clearTimeout(t); reject(e as Error); });
  });
}
