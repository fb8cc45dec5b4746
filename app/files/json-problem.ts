// Why a text is not JSON, in words that quote none of it: V8's messages echo the
// text ("Unexpected token 'k', "-----BEGIN "... is not valid JSON"), and a key or
// a password file passed by mistake must not end up on a terminal or in a log.

/** "at line 3, column 7", "it ends too early", or "it does not start with {" — never the text itself. */
export function jsonSyntaxProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = /at position (\d+)/.exec(message);
  if (at) {
    const position = Math.min(Number(at[1]), text.length);
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    return `at line ${line}, column ${column}`;
  }
  if (/end of JSON input/i.test(message)) return text.trim() === '' ? 'it is empty' : 'it ends too early';
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return 'it does not start with {';
  return 'a character is out of place';
}
