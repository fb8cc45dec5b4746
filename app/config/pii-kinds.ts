// The kinds of personal data a person or an administrator may allow the agent to send:
// the one list the configuration schema, the settings form and the contract use.
export const PII_KINDS = ['hostname', 'username', 'ip', 'mac'] as const;
export type PiiKind = (typeof PII_KINDS)[number];
