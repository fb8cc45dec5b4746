// The window's save payload, checked once, field by field as the one settings
// table says (main/settings-fields.ts): each input kind has its rule, a field may
// add its own (the product code's pattern). An error names the field by its label.
// The contract carries only "an object of fields" (the preload stays zod-free and
// does not load the table); main's dispatcher checks a save with this (main/ipc-handlers.ts).
import { z } from 'zod';
import { WINDOW_FIELDS, type WindowField } from './settings-fields.ts';

const VARIABLE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_NAMES = 100;
const MAX_TEXT = 256;

const httpUrl = z.string().trim().max(2048).refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}, { message: 'must be an http(s) URL without user name or password' });

const printable = (max: number) => z.string().trim().max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** "1440 minutes (one day)". */
const minutes = (n: number) => `${n} minute${n === 1 ? '' : 's'}${n === 1440 ? ' (one day)' : ''}`;

function schemaFor(f: WindowField): z.ZodType {
  switch (f.input) {
    case 'url': return f.required ? httpUrl : z.union([z.literal(''), httpUrl]);
    case 'text': case 'masked':
      return f.pattern ? z.union([z.literal(''), z.string().trim().regex(f.pattern, f.rule)]) : printable(MAX_TEXT);
    case 'minutes': return z.number({ error: 'must be a number of minutes' }).int('must be a whole number of minutes')
      .min(f.min ?? 1, `must be at least ${minutes(f.min ?? 1)}`).max(f.max ?? 1440, `must be at most ${minutes(f.max ?? 1440)}`);
    case 'names': return z.array(z.string().regex(VARIABLE_NAME, 'must be a variable name (letters, digits, _ . -)')).max(MAX_NAMES);
    case 'checks': return z.strictObject(Object.fromEntries((f.options ?? []).map((o) => [o, z.boolean()])));
    case 'choice': return z.enum((f.options ?? []) as [string, ...string[]]);
    case 'checkbox': return z.boolean();
    // Secrets go by setSecret, never with the other settings.
    case 'secret': return z.never();
  }
}

/** Every field but the secrets, each optional: a save sends what changed. */
export const settingsInputSchema = z.strictObject(Object.fromEntries(
  WINDOW_FIELDS.filter((f) => f.input !== 'secret').map((f) => [f.name, schemaFor(f).optional()]),
));
