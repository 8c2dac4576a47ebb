/**
 * The privacy module: the one place that decides who sees which personal field (docs/security.md
 * "Who sees an email"; docs/spec.md R71, R73, R74). Every server path that hands out wall content
 * asks it; none reads a note's `email` to decide.
 */
export { emailAccess, LOG_VIEWER, mayReadEmail, policyOf, viewerFor, type Audience, type Viewer, type WallPolicy } from './visibility.ts';
export { directoryFromContacts, directoryFromNotes, notesDirectory, type ContactDirectory, type ContactRef, type DirectorySource, type StoredContact } from './directory.ts';
export { emailFor, redactNote, redactWall } from './redact.ts';
