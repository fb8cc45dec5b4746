// A configuration problem names the field and where its value came from; ConfigError
// carries every problem found, so one run reports them all.

export interface ConfigProblem {
  field: string;
  source?: string;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.field}${p.source ? ` (from ${p.source})` : ''}: ${p.message}`;
}
