// The embedded default: flags in a YAML file next to the config,
//   flags:
//     orders-v2-canary: { enabled: true, rollout: 25 }
// evaluated by unleash-client offline, so the split is exactly what an Unleash server
// would give. The rollout controller writes percentages back to the same file.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Context, Unleash } from 'unleash-client';
import { isMap, parseDocument, stringify } from 'yaml';
import { parseYamlText } from '../../config/yaml-syntax.js';
import { z } from 'zod';
import type { FlagContext, FlagSource, FlagState } from './flag-source.js';
import { offlineClient } from './offline-client.js';
import { RolloutRules } from './rollout-rule.js';

const flagsFileSchema = z.strictObject({
  flags: z
    .record(
      z.string(),
      z.strictObject({
        enabled: z.boolean().default(true),
        rollout: z.number().min(0).max(100).default(0),
      }),
    )
    .default({}),
});

export async function readFlagsFile(path: string): Promise<Map<string, FlagState>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const yaml = parseYamlText(text);
  if (!yaml.ok) throw new Error(`${path}: ${yaml.error}`);
  const parsed = flagsFileSchema.safeParse(yaml.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return new Map(Object.entries(parsed.data.flags));
}

export class LocalFlagSource implements FlagSource {
  readonly kind = 'local';
  private client!: Unleash;
  private rules = new RolloutRules();
  private flags = new Map<string, FlagState>();
  private watcher: FSWatcher | undefined;
  private writing = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly onError: (err: Error) => void,
  ) {}

  static async open(path: string, onError: (err: Error) => void = () => {}): Promise<LocalFlagSource> {
    const source = new LocalFlagSource(path, onError);
    await source.load();
    source.watch();
    return source;
  }

  /** Re-reads the file. A bad file is reported and the flags already loaded keep serving. */
  async load(): Promise<void> {
    let flags: Map<string, FlagState>;
    try {
      flags = await readFlagsFile(this.path);
    } catch (err) {
      this.onError(err as Error);
      if (this.client) return;
      flags = new Map();
    }
    const next = await offlineClient(flags);
    const previous = this.client;
    this.client = next;
    this.rules = new RolloutRules();
    this.flags = flags;
    previous?.destroy();
  }

  private watch(): void {
    try {
      let timer: NodeJS.Timeout | undefined;
      const file = basename(this.path);
      this.watcher = watch(dirname(this.path), (_event, name) => {
        if (name !== null && name !== file) return;
        clearTimeout(timer);
        timer = setTimeout(() => void this.load(), 50);
      });
      this.watcher.on('error', (err) => this.onError(err));
    } catch {
      // The folder may not exist yet; write() creates it and reloads directly.
    }
  }

  isEnabled(flag: string, context: FlagContext): boolean {
    // The compiled rule when the flag has one (rollout-rule.ts); the offline client counts
    // no metrics, so there is nothing else to keep up.
    return this.rules.isEnabled(this.client, flag, context) ?? this.client.isEnabled(flag, context as Context);
  }

  state(flag: string): FlagState | undefined {
    return this.flags.get(flag);
  }

  write(flag: string, state: FlagState): Promise<void> {
    // Writes are serialised and atomic (write, then rename), so a reader never sees half a file.
    const run = async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
      await writeFile(temp, await this.updatedText(flag, state));
      await rename(temp, this.path);
      await this.load();
    };
    this.writing = this.writing.then(run, run);
    return this.writing;
  }

  /**
   * The file with one flag changed. The file is usually tracked in git and edited by hand,
   * so it is edited as a YAML document: its comments, key order and flow style are kept.
   */
  private async updatedText(flag: string, state: FlagState): Promise<string> {
    const value = { enabled: state.enabled, rollout: state.rollout };
    const text = await readFile(this.path, 'utf8').catch(() => '');
    const doc = parseDocument(text);
    if (doc.errors.length === 0 && (doc.contents === null || isMap(doc.contents))) {
      if (!doc.has('flags') || !isMap(doc.get('flags'))) doc.set('flags', doc.createNode({}));
      const flags = doc.get('flags') as ReturnType<typeof doc.createNode>;
      const existing = doc.getIn(['flags', flag]);
      if (isMap(existing)) {
        existing.set('enabled', value.enabled);
        existing.set('rollout', value.rollout);
      } else if (isMap(flags)) {
        const node = doc.createNode(value);
        if (isMap(node) && isMap(flags) && flags.items.some((p) => isMap(p.value) && p.value.flow)) node.flow = true;
        flags.set(flag, node);
      }
      return doc.toString();
    }
    // An unreadable file cannot be edited in place: write the flags known to be serving.
    const flags = new Map(this.flags);
    flags.set(flag, value);
    const header = '# Canary flags, evaluated with Unleash flexibleRollout hashing. sundial rollout writes here.\n';
    return header + stringify({ flags: Object.fromEntries(flags) });
  }

  async close(): Promise<void> {
    this.watcher?.close();
    await this.writing.catch(() => {});
    this.client?.destroy();
  }
}
