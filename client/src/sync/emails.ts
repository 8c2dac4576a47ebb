/**
 * The email the server sent this viewer for an author (`contacts:list`, R85), or ''. Who may see
 * an email is decided on the server (its privacy module); every screen that shows one — list,
 * phone sheet, map, groupings, contacts CSV — reads it through this one lookup. A module of its
 * own so that reading the wall does not load the CSV writer (docs/spec.md R113).
 */
export function emailOf(emails: Readonly<Record<string, string>>, ownerId: string | undefined): string {
  return ownerId && Object.prototype.hasOwnProperty.call(emails, ownerId) ? (emails[ownerId] ?? '') : '';
}
