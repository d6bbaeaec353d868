// Opens the flag source the gateway config names.
import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { GatewayFile } from '../../config/schema.js';
import type { FlagSource } from './flag-source.js';
import { LocalFlagSource } from './local.js';
import { UnleashFlagSource, type FlagLog } from './unleash.js';

export async function openFlagSource(flags: GatewayFile['flags'], dir: string, log: FlagLog): Promise<FlagSource> {
  if (flags.provider === 'local') {
    const path = isAbsolute(flags.file) ? flags.file : join(dir, flags.file);
    return LocalFlagSource.open(path, (err) => log.warn({ err: err.message, file: path }, 'cannot read the flags file; the flags already loaded keep serving'));
  }
  const backupPath = flags.backupPath && (isAbsolute(flags.backupPath) ? flags.backupPath : join(dir, flags.backupPath));
  // unleash-client writes its backup file into this folder but does not create it.
  if (backupPath) mkdirSync(backupPath, { recursive: true });
  return UnleashFlagSource.open(
    {
      url: flags.url,
      appName: flags.appName,
      environment: flags.environment,
      project: flags.project,
      token: flags.token,
      adminToken: flags.adminToken,
      refreshInterval: flags.refreshInterval,
      backupPath,
    },
    log,
  );
}
