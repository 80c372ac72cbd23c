// The server's settings (initializationOptions and workspace/didChangeConfiguration)
// built from the `troveSpecLsp.*` configuration. No VS Code API here, so the test
// drives it directly.

/** What is read from the configuration: VS Code's WorkspaceConfiguration fits it. */
export interface Settings {
  get<T>(key: string): T | undefined;
}

/** The settings object the server reads (the keys of `trove-spec-lsp.toml`); unset
 * keys are left out so that the file and the server's defaults apply. */
export interface ServerSettings {
  preset?: string;
  template?: string;
  severity?: Record<string, string>;
  specs?: string[];
  optional?: string[];
  'allow-extra'?: string[];
  'max-line-length'?: number;
}

/** The section under which the server asks for its settings (`workspace/configuration`). */
export const SERVER_SECTION = 'trove-spec-lsp';

/** The answer to the server's `workspace/configuration` request for each item: its
 * settings for SERVER_SECTION (the same as the initializationOptions), `undefined` for
 * other sections (VS Code answers those itself). */
export function configurationFor(
  items: { section?: string }[],
  config: Settings,
): (ServerSettings | undefined)[] {
  return items.map((item) => (item.section === SERVER_SECTION ? serverSettings(config) : undefined));
}

/**
 * Whether going from the settings the server was started with (`initial`, its
 * initializationOptions) to `current` removes a setting. The server layers a pushed
 * change over its initializationOptions key by key, so a removed key would keep its
 * start-up value: such a change needs a restart rather than a push.
 */
export function removesSetting(initial: ServerSettings, current: ServerSettings): boolean {
  const keys = Object.keys(initial) as (keyof ServerSettings)[];
  if (keys.some((key) => !(key in current))) {
    return true;
  }
  const codes = Object.keys(initial.severity ?? {});
  return codes.some((code) => !(code in (current.severity ?? {})));
}

export function serverSettings(config: Settings): ServerSettings {
  const settings: ServerSettings = {};
  const preset = config.get<string>('preset')?.trim();
  if (preset) {
    settings.preset = preset;
  }
  const template = config.get<string>('template')?.trim();
  if (template) {
    settings.template = template;
  }
  const severity = config.get<Record<string, string>>('severity');
  if (severity && Object.keys(severity).length > 0) {
    settings.severity = { ...severity };
  }
  const specs = config.get<string[]>('specs');
  if (specs && specs.length > 0) {
    settings.specs = [...specs];
  }
  const optional = config.get<string[]>('optional');
  if (optional && optional.length > 0) {
    settings.optional = [...optional];
  }
  const allowExtra = config.get<string[]>('allowExtra');
  if (allowExtra && allowExtra.length > 0) {
    settings['allow-extra'] = [...allowExtra];
  }
  const maxLineLength = config.get<number | null>('maxLineLength');
  if (typeof maxLineLength === 'number') {
    settings['max-line-length'] = maxLineLength;
  }
  return settings;
}
