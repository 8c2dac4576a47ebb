/**
 * The write rules as they were before issue 12 (`decideWrite`, which decoded an update's structs
 * and judged them without applying), taken from git at run time so the old code is never part of
 * the tree: `git show <commit>:server/src/auth/{writeRules,updateInspector}.ts` into a temporary
 * folder whose `node_modules` links to this repository's, so the old rules run against the same
 * yjs instance (and the same @maillage/shared schemas) as the new ones.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Y from 'yjs';
import { REPO_ROOT } from './report.ts';

/** The commit whose rules are "before" (the last one with writeRules.ts + updateInspector.ts). */
export const BEFORE_COMMIT = '1c8344f';

export interface OldWriteContext {
  role: 'host' | 'participant' | 'review';
  ownerId: string | null;
  locked: boolean;
  privateWriting: boolean;
}
export type OldDecision = { ok: true } | { ok: false; reason: string };

export interface BeforeRules {
  decideWrite: (ctx: OldWriteContext, doc: Y.Doc, update: Uint8Array) => OldDecision;
  /** Full commit id the rules were read from. */
  commit: string;
  /** Removes the temporary folder. */
  dispose: () => void;
}

/** @throws when git cannot show the files (a shallow clone without that commit). */
export async function loadBeforeRules(commit = BEFORE_COMMIT): Promise<BeforeRules> {
  const full = execFileSync('git', ['rev-parse', commit], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-judge-before-'));
  for (const file of ['writeRules.ts', 'updateInspector.ts']) {
    const text = execFileSync('git', ['show', `${full}:server/src/auth/${file}`], { cwd: REPO_ROOT, encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // As an ES module, like the repository: as CommonJS it would get yjs's CommonJS build, a second
  // Yjs instance whose classes fail the instanceof checks the old inspector relies on.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const mod = (await import(pathToFileURL(path.join(dir, 'writeRules.ts')).href)) as Pick<BeforeRules, 'decideWrite'>;
  return { decideWrite: mod.decideWrite, commit: full, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
