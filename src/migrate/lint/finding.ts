import type { Severity } from './rule.js';

export interface Finding {
  file: string;
  line: number;
  rule: string;
  severity: Severity;
  message: string;
  problem: string;
  fix: string;
}

export function readerFinding(file: string, line: number, rule: string, message: string, problem: string, fix: string, severity: Severity = 'error'): Finding {
  return { file, line, rule, severity, message, problem, fix };
}
