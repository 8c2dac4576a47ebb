/**
 * Which view the projection opens on. The host panel's "Project the results" asks for the vote
 * ranking before turning projection on; the projection reads (and clears) the request when it
 * mounts. A module value rather than page state: the two components sit apart in the page.
 */
export type ProjectionMode = 'wall' | 'domains' | 'groups' | 'votes';

let requested: ProjectionMode | null = null;

export function requestProjectionMode(mode: ProjectionMode): void {
  requested = mode;
}

export function takeRequestedMode(): ProjectionMode | null {
  const m = requested;
  requested = null;
  return m;
}
