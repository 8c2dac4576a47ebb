/**
 * Limits enforced by the server (and mirrored by the client so people are told before they hit
 * them). Documented in docs/security.md; changing one here changes both ends.
 */
export const LIMITS = {
  /** Characters in a note's text. */
  noteText: 500,
  /** Characters in an author name / organization. */
  personField: 120,
  /** Characters in an email address (RFC 5321 path limit). */
  email: 254,
  /** Characters in a wall title. */
  boardTitle: 140,
  /** Characters in a domain title (each language). */
  domainTitle: 120,
  /** Notes on one wall. */
  notesPerBoard: 5000,
  /** Connectors on one wall, and per author (a connector is cheap to draw, costly to render). */
  relationsPerBoard: 2000,
  relationsPerOwner: 200,
  /** Co-authors kept on one note (merged duplicates). */
  coauthorsPerNote: 10,
  /** Domains on one wall. */
  domainsPerBoard: 24,
  /** Bytes in one websocket frame. */
  wsMessageBytes: 512 * 1024,
  /** Characters in a snapshot's name. */
  snapshotName: 120,
  /** Bytes in one REST JSON body (import of a whole wall needs room). */
  restBodyBytes: 8 * 1024 * 1024,
} as const;
