/**
 * The email the server sent this viewer for an author (`contacts:list`, R85), or ''. The same
 * lookup as contactsCsv.ts's, kept apart from it so that reading the wall does not load the CSV
 * writer (docs/spec.md R113): a module's code travels with the first chunk that imports it.
 */
export function emailOf(emails: Readonly<Record<string, string>>, ownerId: string | undefined): string {
  return ownerId && Object.prototype.hasOwnProperty.call(emails, ownerId) ? (emails[ownerId] ?? '') : '';
}
