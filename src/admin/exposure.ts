// An admin listener reachable beyond loopback must have a token: anyone who can reach it
// could otherwise read the config and metrics and move rollouts. `sundial start` refuses a
// config that breaks this, and so does a reload, since a reload cannot move a listener that
// is already bound (a changed admin.host takes effect at the next restart).
import type { ConfigProblem } from '../config/errors.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * The problem of an admin listener on `host` without a token, if it is one. `bound` says the
 * listener is already bound there (a reload), rather than configured to be (a start).
 */
export function adminExposureProblem(file: string, host: string, token: string | undefined, bound = false): ConfigProblem | undefined {
  if (token || isLoopback(host)) return undefined;
  return {
    file,
    path: ['admin', 'token'],
    message: bound
      ? `the admin listener is bound to ${host}, beyond loopback, until the next restart, so it needs a token: a reload cannot remove it`
      : `the admin listener is on ${host}, beyond loopback, so it needs a token`,
  };
}
