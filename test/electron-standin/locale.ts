// The application locale as Electron 45 on Linux reports it (app.getLocale()):
// Chromium reads LANGUAGE, then LC_ALL, LC_MESSAGES, LANG, and answers with the
// UI locale it ships that comes closest ("de_DE.UTF-8" → "de", "en_GB" →
// "en-GB", "C" or nothing → "en-US"). The page's navigator.language follows it.
const WITH_REGION = new Set(['en-GB', 'en-US', 'es-419', 'pt-BR', 'pt-PT', 'zh-CN', 'zh-TW']);

export function standinLocale(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.LANGUAGE ?? '').split(':')[0] ?? '';
  const raw = [first, env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  const base = (raw.split(/[.@]/)[0] ?? '').replace(/_/g, '-');
  if (base === '' || base === 'C' || base === 'POSIX' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(base)) return 'en-US';
  const [lang = 'en', region] = base.split('-');
  const tag = region ? `${lang.toLowerCase()}-${region.toUpperCase()}` : lang.toLowerCase();
  if (WITH_REGION.has(tag)) return tag;
  return lang.toLowerCase() === 'en' ? 'en-US' : lang.toLowerCase();
}
