/**
 * One validator per record. The client runs these before writing to the document; the server runs
 * them when a wall loads and when it inspects incoming writes. Types are inferred from them so the
 * two can never drift apart.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { TEMPLATE_IDS } from './templates.ts';

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #rrggbb');
const coord = z.number().finite().min(-1e6).max(1e6);

/** Loose but honest email check: one @, no spaces, a dot in the domain. Empty means "not given". */
export const EmailSchema = z
  .string()
  .trim()
  .max(LIMITS.email)
  .regex(/^$|^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'invalid email');

export const PersonSchema = z.object({
  author: z.string().trim().max(LIMITS.personField),
  /** Legacy on co-authors (see `NoteSchema.email`): taken into the contact store by the server. */
  email: EmailSchema.optional(),
  org: z.string().trim().max(LIMITS.personField),
  /** The co-author's author id, which their contact details are kept under. */
  ownerId: z.string().max(64).optional(),
});
export type Person = z.infer<typeof PersonSchema>;

export const NoteSchema = z.object({
  id: z.string().min(1).max(64),
  text: z.string().max(LIMITS.noteText),
  author: z.string().max(LIMITS.personField),
  /**
   * Legacy: emails no longer live in the document (issue 13, docs/data-model.md). The server
   * takes any email written here into its contact store and removes it from the record.
   */
  email: EmailSchema.optional(),
  org: z.string().max(LIMITS.personField),
  domainId: z.string().min(1).max(64),
  /** Position relative to the top-left of the note's domain column (see docs/data-model.md). */
  x: coord,
  y: coord,
  color: hexColor,
  createdAt: z.number().int().nonnegative(),
  /** Opaque id of the participant who wrote the note; '' for notes made by the server or imported. */
  ownerId: z.string().max(64),
  /** Other people who run the same activity (kept when duplicates are merged). */
  coauthors: z.array(PersonSchema.strict()).max(LIMITS.coauthorsPerNote).optional(),
});
export type Note = z.infer<typeof NoteSchema>;

/**
 * Fields a note may lack when written by a stock y-websocket client (docs/protocol.md lists the
 * documented ones): the server fills these in; `text` and `domainId` are required.
 */
export const NOTE_DEFAULTS = {
  author: '',
  email: '',
  org: '',
  x: 20,
  y: 100,
  color: '#fff59d',
} as const satisfies Partial<Note>;

/** What a writer supplies; id, createdAt and defaults are filled in by `addNote`. */
export const NoteInputSchema = NoteSchema.partial({
  id: true,
  createdAt: true,
  x: true,
  y: true,
  color: true,
  author: true,
  email: true,
  org: true,
  ownerId: true,
});
export type NoteInput = z.infer<typeof NoteInputSchema>;

export const NotePatchSchema = NoteSchema.omit({ id: true, createdAt: true, ownerId: true }).partial();
export type NotePatch = z.infer<typeof NotePatchSchema>;

export const LocalizedTitleSchema = z.object({
  fr: z.string().trim().max(LIMITS.domainTitle),
  en: z.string().trim().max(LIMITS.domainTitle),
});

export const DomainSchema = z.object({
  id: z.string().min(1).max(64),
  title: LocalizedTitleSchema,
  /** Sort key; fractional so a reorder touches one domain only. */
  order: z.number().finite(),
  color: hexColor,
});
export type Domain = z.infer<typeof DomainSchema>;

export const BoardMetaSchema = z.object({
  schemaVersion: z.number().int().nonnegative(),
  title: z.string().max(LIMITS.boardTitle),
  template: z.enum(TEMPLATE_IDS),
  createdAt: z.number().int().nonnegative(),
});
export type BoardMeta = z.infer<typeof BoardMetaSchema>;

/** Body of `POST /api/boards`. */
export const CreateBoardSchema = z
  .object({
    title: z.string().trim().max(LIMITS.boardTitle).optional(),
    template: z.enum(TEMPLATE_IDS).optional(),
    /** Days after the session ends that contact details are erased; 0 = until the wall is deleted (R88). Default 30. */
    contactRetentionDays: z.number().int().min(0).max(3650).optional(),
  })
  .strict();
export type CreateBoardInput = z.infer<typeof CreateBoardSchema>;
