import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, isLogLevel, LOG_LEVELS, silentLogger } from '../../../src/log.js';

test('isLogLevel: the levels --log-level accepts', () => {
  for (const level of LOG_LEVELS) assert.equal(isLogLevel(level), true);
  assert.equal(isLogLevel('loud'), false);
});

test('createLogger: JSON lines at the chosen level and above', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } });
  logger.info('not shown');
  logger.warn({ kind: 'Deployment' }, 'shown');
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.msg, 'shown');
  assert.equal(lines[0]?.kind, 'Deployment');
  assert.equal(lines[0]?.name, 'portico');
});

test('silentLogger: logs nothing', () => {
  assert.equal(silentLogger().isLevelEnabled('fatal'), false);
});
