// How values cross between worlds and processes: a tagged JSON encoding with
// the structured-clone rules Electron applies to IPC arguments and to values
// passed through contextBridge (copied, never shared). `createCodec` must stay
// self-contained (no imports, no outer names): it is also stringified into the
// page's main world and the preload's isolated world.

/** Ways a world lets functions and promises cross (contextBridge); without them they cannot be cloned (IPC). */
export interface CodecHooks {
  exportFunction?(fn: (...args: unknown[]) => unknown): number;
  importFunction?(id: number): (...args: unknown[]) => unknown;
  exportPromise?(promise: Promise<unknown>): number;
  importPromise?(id: number): Promise<unknown>;
}

export interface Codec {
  encode(value: unknown): unknown;
  decode(encoded: unknown): unknown;
}

export function createCodec(hooks: CodecHooks = {}): Codec {
  const cloneError = 'An object could not be cloned.';
  const toBase64 = (bytes: Uint8Array): string => {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
    return btoa(s);
  };
  const fromBase64 = (text: string): Uint8Array => {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  };

  const encode = (value: unknown, seen: Set<object>): unknown => {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) && !Object.is(value, -0) ? value : { $: 'n', v: Object.is(value, -0) ? '-0' : String(value) };
      case 'undefined':
        return { $: 'u' };
      case 'bigint':
        return { $: 'b', v: String(value) };
      case 'function':
        if (hooks.exportFunction) return { $: 'f', v: hooks.exportFunction(value as (...args: unknown[]) => unknown) };
        throw new Error(cloneError);
      case 'symbol':
        throw new Error(cloneError);
      default:
        break;
    }
    if (value === null) return null;
    const object = value as object;
    if (seen.has(object)) throw new Error(`${cloneError} (a value refers to itself)`);
    seen.add(object);
    try {
      if (object instanceof Promise) {
        if (hooks.exportPromise) return { $: 'p', v: hooks.exportPromise(object) };
        throw new Error(cloneError);
      }
      if (object instanceof Date) return { $: 'd', v: object.getTime() };
      if (object instanceof RegExp) return { $: 'r', v: [object.source, object.flags] };
      if (object instanceof Error) return { $: 'e', v: { name: object.name, message: object.message } };
      if (object instanceof ArrayBuffer) return { $: 'ab', v: toBase64(new Uint8Array(object)) };
      if (ArrayBuffer.isView(object)) return { $: 'u8', v: toBase64(new Uint8Array(object.buffer, object.byteOffset, object.byteLength)) };
      if (object instanceof Map) return { $: 'm', v: [...object].map(([k, v]) => [encode(k, seen), encode(v, seen)]) };
      if (object instanceof Set) return { $: 's', v: [...object].map((v) => encode(v, seen)) };
      if (Array.isArray(object)) return { $: 'a', v: object.map((v) => encode(v, seen)) };
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(object)) out[key] = encode((object as Record<string, unknown>)[key], seen);
      return { $: 'o', v: out };
    } finally {
      seen.delete(object);
    }
  };

  const decode = (encoded: unknown): unknown => {
    if (encoded === null || typeof encoded !== 'object') return encoded;
    const { $: tag, v } = encoded as { $: string; v: unknown };
    switch (tag) {
      case 'u': return undefined;
      case 'n': return v === '-0' ? -0 : Number(v);
      case 'b': return BigInt(v as string);
      case 'd': return new Date(v as number);
      case 'r': return new RegExp((v as string[])[0] as string, (v as string[])[1]);
      case 'e': {
        const e = v as { name: string; message: string };
        const error = new Error(e.message);
        if (e.name && e.name !== 'Error') Object.defineProperty(error, 'name', { value: e.name, configurable: true, writable: true });
        return error;
      }
      case 'ab': return fromBase64(v as string).buffer;
      case 'u8': return fromBase64(v as string);
      case 'm': return new Map((v as [unknown, unknown][]).map(([k, x]) => [decode(k), decode(x)]));
      case 's': return new Set((v as unknown[]).map(decode));
      case 'a': return (v as unknown[]).map(decode);
      case 'o': {
        const out: Record<string, unknown> = {};
        for (const [key, x] of Object.entries(v as Record<string, unknown>)) out[key] = decode(x);
        return out;
      }
      case 'f':
        if (!hooks.importFunction) throw new Error(cloneError);
        return hooks.importFunction(v as number);
      case 'p':
        if (!hooks.importPromise) throw new Error(cloneError);
        return hooks.importPromise(v as number);
      default:
        throw new Error(`cannot decode a value tagged ${String(tag)}`);
    }
  };

  return { encode: (value) => encode(value, new Set()), decode };
}
