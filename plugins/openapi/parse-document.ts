// An uploaded OpenAPI document's text → a plain object: JSON or YAML, errors naming the line and column.
import { parse as parseYaml, YAMLParseError } from 'yaml';

/** YAML aliases expanding past this are refused (the "billion laughs" bomb). */
const MAX_ALIAS_COUNT = 1000;

export function parseDocument(text: string, fileName: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/^\s*[{[]/.test(source)) {
    try {
      return JSON.parse(source);
    } catch (err) {
      throw new Error(`${fileName}: the JSON does not parse: ${jsonProblem(source, (err as Error).message)}`);
    }
  }
  try {
    return parseYaml(source, { maxAliasCount: MAX_ALIAS_COUNT, prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      const what = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new Error(`${fileName}: the YAML does not parse at line ${at?.line ?? '?'}, column ${at?.col ?? '?'}: ${what}`);
    }
    throw new Error(`${fileName}: the YAML does not parse: ${(err as Error).message}`);
  }
}

/** V8's message names a character position; say the line and column too. */
function jsonProblem(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  if (position === null || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}
