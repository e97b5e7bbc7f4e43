// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${lab} and ${host} are the lab's own placeholders
import { parseDocument, stringify } from 'yaml';

/**
 * A director's config as the lab runs it (pure): the scenario's text replacements (`${lab}` = the run's
 * directory, `${host}` = the host), then the run-private places forced so two directors on one machine
 * do not share them: admin.socket (always the lab's), admin.state_file (off unless set), and
 * cluster.generation_file (in the lab directory unless set).
 */
export interface PreparedConfig {
  readonly text: string;
  readonly socket: string;
}

export function prepareDirectorConfig(
  source: string | Record<string, unknown>,
  substitute: Readonly<Record<string, string>>,
  lab: { dir: string; host: string },
): PreparedConfig {
  const expand = (s: string) => s.replaceAll('${lab}', lab.dir).replaceAll('${host}', lab.host);
  let text = typeof source === 'string' ? source : stringify(source);
  for (const [from, to] of Object.entries(substitute)) text = text.replaceAll(from, expand(to));
  const doc = parseDocument(text);
  const socket = `${lab.dir}/${lab.host}.sock`;
  doc.setIn(['admin', 'socket'], socket);
  if (!doc.hasIn(['admin', 'state_file'])) doc.setIn(['admin', 'state_file'], false);
  if (doc.has('cluster') && !doc.hasIn(['cluster', 'generation_file']))
    doc.setIn(['cluster', 'generation_file'], `${lab.dir}/generation-${lab.host}`);
  return { text: doc.toString(), socket };
}

/** The same config with an error a reload must reject (an unknown top-level key). */
export function brokenConfig(text: string): string {
  return `${text.trimEnd()}\nlab_injected_error: true\n`;
}
