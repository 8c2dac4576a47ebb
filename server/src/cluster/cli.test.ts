import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputLineError, parseNotes } from './cli.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const fixture = fileURLToPath(new URL('../../../test/fixtures/activities.jsonl', import.meta.url));

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function tempFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'maillage-cli-')), 'notes.jsonl');
  writeFileSync(file, content);
  return file;
}

describe('cluster CLI', () => {
  it('prints only {"clusters":[{id,label,noteIds,…}]} on stdout', async () => {
    const { code, stdout, stderr } = await run(fixture);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { clusters: { id: string; label: string; noteIds: string[] }[] };
    expect(Object.keys(parsed)).toEqual(['clusters']);
    expect(parsed.clusters.length).toBeGreaterThan(10);
    for (const c of parsed.clusters) {
      expect(typeof c.id).toBe('string');
      expect(typeof c.label).toBe('string');
      expect(c.noteIds.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('reports a bad line with its number on stderr and exits 1', async () => {
    const file = tempFile('{"id":"a","text":"Aide aux devoirs"}\n\n{"id":"b","text":"Homework help"}\n{"id":"c","text":\n');
    const { code, stdout, stderr } = await run(file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/notes\.jsonl:4: invalid JSON/);
  });

  it('explains usage when no file is given', async () => {
    const { code, stderr } = await run();
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage/);
  });
});

describe('parseNotes', () => {
  it('skips blank lines, keeps known fields and ignores others', () => {
    expect(parseNotes('{"id":"a","text":"x","org":"O","domainId":"d","group":"g","x":1}\n\n  \n{"id":"b","text":""}\r\n')).toEqual([
      { id: 'a', text: 'x', org: 'O', domainId: 'd' },
      { id: 'b', text: '' },
    ]);
  });

  it('names the line of each kind of error', () => {
    const lineOf = (src: string): number | undefined => {
      try {
        parseNotes(src);
      } catch (e) {
        return e instanceof InputLineError ? e.line : undefined;
      }
      return undefined;
    };
    expect(lineOf('{"id":"a","text":"x"}\n[1,2]')).toBe(2);
    expect(lineOf('\n{"id":1,"text":"x"}')).toBe(2);
    expect(lineOf('{"id":"a"}')).toBe(1);
    expect(lineOf('{"id":"a","text":"x"}\n{"id":"a","text":"y"}')).toBe(2);
  });
});
