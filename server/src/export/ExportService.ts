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
  computeNetwork,
  type BoardId,
  type Network,
  type NetworkFilter,
  type WallExport,
} from '@maillage/shared';
import type { BoardService, CreatedBoard } from '../boards/BoardService.ts';
import { logReadProblems } from '../boards/readProblems.ts';
import type { Logger } from '../logger.ts';
import { notesDirectory, policyOf, redactWall, type DirectorySource, type Viewer } from '../privacy/index.ts';
import { wallCsv, type CsvOptions } from './csv.ts';
import { wallPdf, type PdfOptions } from './pdfReport.ts';
import { networkGraphml } from './graphml.ts';
import { networkKumu, type KumuBlueprint } from './kumu.ts';
import type { ExportLang } from './format.ts';

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
    const { wall, network } = await this.wallAndNetwork(id, viewer);
    return { title: wall.title, body: await wallPdf(wall, { ...opts, network }) };
  }

  /**
   * The relationship map of the wall (R140–R143): organizations, and their links through
   * accepted groups, connectors and strong clustering suggestions. Holds no email.
   * @throws MaillageError not_found for an unknown wall.
   */
  async network(id: BoardId, viewer: Viewer, filter: NetworkFilter = {}): Promise<{ title: string; network: Network; wall: WallExport }> {
    const { wall, network } = await this.wallAndNetwork(id, viewer, filter);
    return { title: wall.title, network, wall };
  }

  async graphml(id: BoardId, viewer: Viewer): Promise<{ title: string; body: string }> {
    const { wall, network } = await this.wallAndNetwork(id, viewer);
    return { title: wall.title, body: networkGraphml(network, wall.title) };
  }

  async kumu(id: BoardId, viewer: Viewer, lang: ExportLang): Promise<{ title: string; body: KumuBlueprint }> {
    const { wall, network } = await this.wallAndNetwork(id, viewer);
    return { title: wall.title, body: networkKumu(network, wall.notes, lang) };
  }

  /** The redacted wall and its network, the suggestions read from the wall's session settings. */
  private async wallAndNetwork(id: BoardId, viewer: Viewer, filter: NetworkFilter = {}): Promise<{ wall: WallExport; network: Network }> {
    const wall = await this.wall(id, viewer);
    const board = await this.boards.requireBoard(id);
    const suggestions = readSettings(board.settings).suggestions?.clusters ?? [];
    return { wall, network: computeNetwork({ notes: wall.notes, clusters: wall.clusters, relations: wall.relations, suggestions }, filter) };
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
