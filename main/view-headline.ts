// The headline the window and the tray say, as a catalogue message. Pure.
import type { AgentErrorView, AgentStatus } from '../app/agent-api.ts';
import type { Message } from '../locales/i18n.ts';

/**
 * The engine's headline message, with the problem in the app's language (`error` is the
 * status's error after localizeError); for a problem the shell found (it carries no engine
 * message), "Needs attention: <the problem>". Undefined when there is no message: the
 * reader then shows the English `headline` text.
 */
export function viewHeadline(status: Pick<AgentStatus, 'phase' | 'headlineMessage'>, error: Pick<AgentErrorView, 'code' | 'summary'> | undefined): Message | undefined {
  const attention = status.headlineMessage?.key === 'headline.attention' || (status.headlineMessage === undefined && status.phase === 'attention');
  if (!attention || error === undefined) return status.headlineMessage;
  return { key: 'headline.attention', params: { summary: error.summary.replace(/\.$/, ''), code: error.code } };
}
