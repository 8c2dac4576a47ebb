/** The relationship map: organizations and their links (network.ts), and where to draw them (layout.ts). */
export * from './network.ts';
export * from './layout.ts';
export * from './scene.ts';
