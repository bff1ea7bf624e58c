// The process logger (pino, JSON lines on stdout).
import { pino } from 'pino';
import type { Logger } from './contract.js';

export function createLogger(level: string): Logger & { level: string } {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
