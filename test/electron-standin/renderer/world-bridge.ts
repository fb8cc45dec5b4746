// contextBridge between the page's main world and the preload's isolated world,
// inside the real Chromium page. The two worlds share only the DOM, so a call
// crosses as a synchronous DOM event: the caller dispatches `call`, the callee's
// listener runs the function at once and dispatches `reply` back before
// dispatchEvent returns — a bridged function returns its value synchronously,
// as Electron's do. Functions and promises are proxied by id, everything else is
// copied (renderer/codec.ts). Event names carry a per-window random token and
// the DOM functions are captured before any page script runs.
//
// `createWorldEndpoint` must stay self-contained: it is stringified into both worlds.
import type { Codec, CodecHooks, createCodec } from './codec.ts';

export interface WorldEndpoint {
  codec: Codec;
  /** Calls a function of the other world; throws what it throws. */
  call(id: number, args: unknown[]): unknown;
  /** Isolated side: hands `value` to the main world under `key`. */
  expose(key: string, value: unknown): void;
  /** Main side: receives exposed values. */
  onExpose(handler: (key: string, value: unknown) => void): void;
}

interface Message {
  op: 'call' | 'reply' | 'settle' | 'expose';
  id?: number;
  args?: unknown;
  value?: unknown;
  ok?: boolean;
  key?: string;
}

export function createWorldEndpoint(side: 'main' | 'isolated', token: string, makeCodec: typeof createCodec): WorldEndpoint {
  const doc = document;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const listen = EventTarget.prototype.addEventListener;
  const Custom = CustomEvent;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const other = side === 'main' ? 'isolated' : 'main';
  const inbox = `electron-standin-${token}-to-${side}`;
  const outbox = `electron-standin-${token}-to-${other}`;

  const functions = new Map<number, (...args: unknown[]) => unknown>();
  let nextFunction = 1;
  let nextPromise = 1;
  const remotePromises = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let reply: string | undefined;
  let exposeHandler: ((key: string, value: unknown) => void) | undefined;

  const post = (message: Message): string | undefined => {
    reply = undefined;
    dispatch.call(doc, new Custom(outbox, { detail: stringify(message) }));
    const r = reply;
    reply = undefined;
    return r;
  };
  const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

  const hooks: CodecHooks = {
    exportFunction(fn) {
      const id = nextFunction++;
      functions.set(id, fn);
      return id;
    },
    importFunction: (id) => (...args: unknown[]) => call(id, args),
    exportPromise(promise) {
      const id = nextPromise++;
      promise.then(
        (value) => { post({ op: 'settle', id, ok: true, value: codec.encode(value) }); },
        (error: unknown) => { post({ op: 'settle', id, ok: false, value: codec.encode(asError(error)) }); },
      );
      return id;
    },
    importPromise: (id) => new Promise((resolve, reject) => { remotePromises.set(id, { resolve, reject }); }),
  };
  const codec = makeCodec(hooks);

  function call(id: number, args: unknown[]): unknown {
    const answer = post({ op: 'call', id, args: codec.encode(args) });
    if (answer === undefined) throw new Error('This function belongs to a document that is gone.');
    const result = parse(answer) as { ok: boolean; value: unknown };
    if (!result.ok) throw codec.decode(result.value);
    return codec.decode(result.value);
  }

  const answer = (run: () => unknown): void => {
    let out: { ok: boolean; value: unknown };
    try {
      out = { ok: true, value: codec.encode(run()) };
    } catch (error) {
      out = { ok: false, value: codec.encode(asError(error)) };
    }
    dispatch.call(doc, new Custom(outbox, { detail: stringify({ op: 'reply', value: stringify(out) }) }));
  };

  listen.call(doc, inbox, (event: Event) => {
    const message = parse((event as CustomEvent<string>).detail) as Message;
    switch (message.op) {
      case 'reply':
        reply = message.value as string;
        break;
      case 'call':
        answer(() => {
          const fn = functions.get(message.id as number);
          if (!fn) throw new Error('This function is no longer available.');
          return fn(...(codec.decode(message.args) as unknown[]));
        });
        break;
      case 'settle': {
        const pending = remotePromises.get(message.id as number);
        remotePromises.delete(message.id as number);
        if (pending) (message.ok ? pending.resolve : pending.reject)(codec.decode(message.value));
        break;
      }
      case 'expose':
        answer(() => {
          if (!exposeHandler) throw new Error('no main world to expose to');
          exposeHandler(message.key as string, codec.decode(message.value));
          return undefined;
        });
        break;
    }
  });

  return {
    codec,
    call,
    expose(key, value) {
      const answerText = post({ op: 'expose', key, value: codec.encode(value) });
      if (answerText === undefined) throw new Error('contextBridge: the main world did not answer');
      const result = parse(answerText) as { ok: boolean; value: unknown };
      if (!result.ok) throw codec.decode(result.value);
    },
    onExpose(handler) {
      exposeHandler = handler;
    },
  };
}
