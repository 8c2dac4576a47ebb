/**
 * Input checks for the clustering engine. The engine is called with whatever a wall holds, so it
 * is strict about structure (ids, types, sizes) but tolerant about content: a blank note is a
 * normal thing on a live wall and simply stays unclustered.
 */
import { ErrorCode, LIMITS, MaillageError } from '@maillage/shared';
import { z } from 'zod';
import { TaughtGroupsSchema } from './learn.ts';
import type { ClusterNote } from './types.ts';

/** Thrown when notes or options are malformed; carries zod issues in `details`. */
export class ClusterInputError extends MaillageError {
  constructor(message: string, details?: unknown) {
    super(ErrorCode.BadRequest, message, details);
    this.name = 'ClusterInputError';
  }
}

/**
 * Longest text accepted. Ten times the wall's own limit, so exports from other tools still fit,
 * while a runaway paste cannot make one note cost more than a whole wall.
 */
export const MAX_TEXT_LENGTH = LIMITS.noteText * 10;
/** Most notes per call: four walls' worth; beyond this memory, not time, becomes the problem. */
export const MAX_NOTES = LIMITS.notesPerBoard * 4;

const optionalString = z.string().max(LIMITS.personField * 2).optional();

const NoteSchema = z.object({
  id: z.string().min(1).max(128),
  text: z.string().max(MAX_TEXT_LENGTH, `text longer than ${MAX_TEXT_LENGTH} characters`),
  org: optionalString,
  domainId: optionalString,
  author: optionalString,
});

// learn.ts imports nothing from here, so this import makes no cycle.
const OptionsSchema = z.object({
  glossary: z.array(z.unknown()).optional(),
  replaceGlossary: z.boolean().optional(),
  taught: TaughtGroupsSchema.optional(),
  threshold: z.number().gt(0).lt(1).optional(),
  duplicateThreshold: z.number().gt(0).max(1).optional(),
  onProgress: z.function().optional(),
});

/**
 * Checks notes and options and returns the notes reduced to the fields the engine uses.
 *
 * @throws ClusterInputError on a malformed note (missing id, non-string text, text over
 *   {@link MAX_TEXT_LENGTH}), a repeated id, more than {@link MAX_NOTES} notes, or bad options.
 */
export function validateInput(notes: unknown, opts: unknown): ClusterNote[] {
  if (!Array.isArray(notes)) throw new ClusterInputError('notes must be an array');
  if (notes.length > MAX_NOTES) throw new ClusterInputError(`at most ${MAX_NOTES} notes can be clustered at once`);
  const opt = OptionsSchema.safeParse(opts ?? {});
  if (!opt.success) throw new ClusterInputError('invalid options', opt.error.issues);
  const seen = new Set<string>();
  return notes.map((raw, index) => {
    const parsed = NoteSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ClusterInputError(`note ${index}: ${issue?.path.join('.') || 'note'}: ${issue?.message}`, parsed.error.issues);
    }
    const { id, text, org, domainId, author } = parsed.data;
    if (seen.has(id)) throw new ClusterInputError(`note ${index}: duplicate id "${id}"`);
    seen.add(id);
    return { id, text, ...(org ? { org } : {}), ...(domainId ? { domainId } : {}), ...(author ? { author } : {}) };
  });
}
