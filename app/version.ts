// The agent's own version, from package.json (sent as the agent_version variable).
import pkg from '../package.json' with { type: 'json' };

export const AGENT_VERSION: string = pkg.version;
