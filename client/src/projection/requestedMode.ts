/**
 * Which view the projection opens on. The host panel's "Project the results" asks for the vote
 * ranking before turning projection on; the projection reads the request when it renders and
 * clears it once mounted. A module value rather than page state: the two components sit apart
 * in the page.
 */
export type ProjectionMode = 'wall' | 'domains' | 'groups' | 'votes';

let requested: ProjectionMode | null = null;

export function requestProjectionMode(mode: ProjectionMode): void {
  requested = mode;
}

/**
 * The pending request, left in place: React may render a component and throw the render away
 * (a lazy-loaded view, concurrent rendering), so reading must not consume it.
 */
export function requestedMode(): ProjectionMode | null {
  return requested;
}

/** Called once the projection has mounted with the request. */
export function clearRequestedMode(): void {
  requested = null;
}
