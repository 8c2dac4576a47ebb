/**
 * Exports of a wall (CSV, JSON, PDF report) and the import of a JSON export into a new wall.
 * Transport-free: the HTTP routes decide who may ask; this decides what goes in the file.
 *
 * Everything is read from the live document when the wall is loaded, so an export made during a
 * session includes the last second's notes. What each reader sees of personal fields is decided
 * by the privacy module (server/src/privacy), once, before any format is written: CSV, JSON and
 * PDF all come from the same redacted `WallExport`. Unrevealed private notes are never exported: they are
 * not part of the wall until a host reveals them.
 */
import {
  TEMPLATES,
  randomToken,
  importWall,
  parseWallExport,
  readSettings,
  readWallExport,
  voteCounts,
  type BoardId,
  type WallExport,
} from '@maillage/shared';
import type { BoardService, CreatedBoard } from '../boards/BoardService.ts';
import { logReadProblems } from '../boards/readProblems.ts';
import type { Logger } from '../logger.ts';
import { notesDirectory, policyOf, redactWall, type DirectorySource, type Viewer } from '../privacy/index.ts';
import { wallCsv, type CsvOptions } from './csv.ts';
import { wallPdf, type PdfOptions } from './pdfReport.ts';

export class ExportService {
  constructor(
    private readonly boards: BoardService,
    private readonly log: Logger | null = null,
    /** Where contact details come from (the contact store; the notes for walls without one). */
    private readonly contacts: DirectorySource = notesDirectory,
    /**
     * Where an import's emails go (the new wall's contact store), so that none is written into
     * the document. Null keeps them on the notes (no contact store).
     */
    private readonly importContacts: ((id: BoardId, contacts: { ownerId: string; email: string }[]) => Promise<void>) | null = null,
  ) {}

  /**
   * The wall as a `WallExport` for `viewer`, with the current dot-vote counts; every email (of
   * notes and co-authors) is the one the privacy module lets this viewer see, else ''.
   * Every note the wall shows is in it (lenient reader); records it cannot use are logged and
   * left out, never a failure (R58, R59).
   * @throws MaillageError not_found for an unknown wall.
   */
  async wall(id: BoardId, viewer: Viewer): Promise<WallExport> {
    const board = await this.boards.requireBoard(id);
    const votes = voteCounts(readSettings(board.settings).vote);
    // Read whole, then redacted by the one rule (R71): the reader's own option would blank
    // note emails only and leave co-authors' in.
    const { wall, problems } = await this.boards.withDoc(board.id, (doc) => readWallExport(doc, { emails: true, votes }));
    if (this.log) logReadProblems(this.log, board.id, problems, 'export');
    const directory = await this.contacts(board.id, wall.notes);
    return redactWall(wall, viewer, policyOf(board.settings), directory);
  }

  async csv(id: BoardId, viewer: Viewer, opts: CsvOptions): Promise<{ title: string; body: string }> {
    const wall = await this.wall(id, viewer);
    return { title: wall.title, body: wallCsv(wall, opts) };
  }

  async pdf(id: BoardId, viewer: Viewer, opts: PdfOptions): Promise<{ title: string; body: Buffer }> {
    const wall = await this.wall(id, viewer);
    return { title: wall.title, body: await wallPdf(wall, opts) };
  }

  /**
   * Creates a new wall holding an export's content (new id and keys; same notes, domains,
   * clusters and relations). @throws MaillageError bad_request naming what is invalid.
   */
  async import(raw: unknown): Promise<CreatedBoard> {
    const parsed = parseWallExport(raw);
    const title = parsed.title.trim() || TEMPLATES[parsed.template].title.fr;
    const { wall: data, contacts } = this.importContacts ? takeImportedContacts(parsed) : { wall: parsed, contacts: [] };
    const created = await this.boards.create({ title, template: data.template }, (doc) => importWall(doc, { ...data, title }));
    if (contacts.length && this.importContacts) await this.importContacts(created.id, contacts);
    return created;
  }
}

/**
 * Takes the emails out of an imported wall (issue 13: they go to the contact store, never into
 * the document). A note or co-author with an email and no author id gets one (`i-<random>`), so
 * that its contact has a key; every email is blanked in what is written to the document.
 */
export function takeImportedContacts(w: WallExport): { wall: WallExport; contacts: { ownerId: string; email: string }[] } {
  const contacts: { ownerId: string; email: string }[] = [];
  const take = (ownerId: string | undefined, email: string | undefined): string | undefined => {
    const e = email?.trim();
    if (!e) return ownerId;
    const owner = ownerId || `i-${randomToken(12)}`;
    contacts.push({ ownerId: owner, email: e });
    return owner;
  };
  const notes = w.notes.map((n) => {
    const ownerId = take(n.ownerId, n.email) ?? '';
    const out = { ...n, ownerId, email: '' };
    if (n.coauthors) out.coauthors = n.coauthors.map((p) => {
      const owner = take(p.ownerId, p.email);
      const { email: _drop, ...rest } = p;
      return owner ? { ...rest, ownerId: owner } : rest;
    });
    return out;
  });
  return { wall: { ...w, notes }, contacts };
}
