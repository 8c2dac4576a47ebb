#!/usr/bin/env node
/**
 * `npm audit` of the production dependencies (docs/security.md): fails on any high or critical
 * advisory. When the registry's audit endpoint cannot be reached (offline, or a mirror that does
 * not implement it), says so and exits 2, so that a caller can tell "unknown" from "clean".
 *
 *   node scripts/audit.mjs          human summary; exit 0 clean, 1 high/critical, 2 unavailable
 *   node scripts/audit.mjs --json   one JSON object: { status, message, counts, high }
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const json = process.argv.includes('--json');

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 80_000 });
let report = null;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = null;
}

let result;
if (!report || report.error || !report.metadata) {
  const why = (run.stderr || '').split('\n').find((l) => /audit|ERR|error/i.test(l) && !/nodedir/.test(l)) || run.error?.message || 'no report';
  result = { status: 'unavailable', message: `the audit endpoint could not be used: ${why.replace(/^npm (error|warn) /, '').trim()}` };
} else {
  const counts = report.metadata.vulnerabilities ?? {};
  const high = Object.entries(report.vulnerabilities ?? {})
    .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
    .map(([name, v]) => `${name} (${v.severity}${v.range ? `, ${v.range}` : ''})`);
  result = {
    status: high.length ? 'fail' : 'ok',
    message: high.length ? `${high.length} high or critical advisories` : 'no high or critical advisory in production dependencies',
    counts,
    high,
  };
}

if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const lines = [`npm audit (production): ${result.message}`];
  if (result.counts) lines.push(`  counts: ${JSON.stringify(result.counts)}`);
  for (const h of result.high ?? []) lines.push(`  - ${h}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exit(result.status === 'ok' ? 0 : result.status === 'fail' ? 1 : 2);
