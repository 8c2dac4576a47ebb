import type { statusFr } from '../fr/status.ts';

/** English strings: status, notFound, review, refusal, errors; the type forces the same keys as French. */
export const statusEn: typeof statusFr = {
  status: {
    connected: 'Connected',
    connecting: 'Reconnecting…',
    offline: 'Offline — your notes are kept and will be sent when the network is back',
  },
  notFound: {
    heading: 'Page not found',
  },
  review: {
    filters: 'Filters',
    filterBar: 'Filter the notes',
    search: 'Search',
    searchPlaceholder: 'Keyword, name, organization…',
    domain: 'Domain',
    cluster: 'Cluster',
    org: 'Organization',
    author: 'Name',
    all: 'All',
    clear: 'Clear filters',
    count: '{{shown}} of {{total}} notes shown',
    readOnly: 'Read-only review',
  },
  refusal: {
    read_only: 'This link is read-only: your changes are not saved.',
    locked: 'The wall is locked by the hosts: your notes are kept on this device and will be posted when it reopens.',
    not_owner: 'You can only change your own notes: this change was undone.',
    invalid: 'This change is not valid and was not saved; your text is kept under “Waiting”.',
    host_only: 'Only the hosts can change the domains and the wall’s settings.',
    limit: 'The wall has reached its limit: this change was not saved; your text is kept under “Waiting”.',
    private_writing: 'Private writing is on: your note is kept as a private note, visible to you and the hosts until it is revealed.',
    unknown: 'The server refused this change; your text is kept under “Waiting”.',
  },
  errors: {
    bad_request: 'Invalid request.',
    not_found: 'Not found (the note or the wall may have been deleted).',
    gone: 'This wall was deleted.',
    unauthorized: 'This link is no longer valid.',
    forbidden: 'You are not allowed to do this.',
    payload_too_large: 'Too large.',
    rate_limited: 'Too many requests: try again in a moment.',
    locked: 'The wall is locked by the hosts.',
    limit_reached: 'The wall has reached its limit.',
    internal: 'The server is not answering or ran into an error; try again.',
  },
};
