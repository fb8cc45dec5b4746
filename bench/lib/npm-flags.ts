// `npm run bench --quick` (without `--`) does not hand --quick to the script: npm takes
// it as a setting of its own and exports npm_config_quick=true instead (and a value flag,
// `--agents 100`, becomes npm_config_agents=true plus a stray "100"). A script that
// ignored that would silently run its long default. These helpers let a script notice.

/** The script's own options that npm swallowed, when the script runs under `npm run`. */
export function swallowedByNpm(optionNames: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.npm_lifecycle_event === undefined) return [];
  return optionNames.filter((name) => {
    const value = env[`npm_config_${name.replace(/-/g, '_')}`];
    return value !== undefined && value !== '' && value !== 'false';
  });
}

/** What to tell the person: how to write it so npm passes it on. */
export function npmFlagAdvice(script: string, names: readonly string[]): string {
  const flags = names.map((n) => `--${n}`).join(' ');
  return `npm took ${flags} as its own setting (npm_config_${names[0]!.replace(/-/g, '_')}); options for the script go after \`--\`: npm run ${script} -- ${flags}`;
}
