/** Everything @maillage/shared exports: ids, errors, the document schema and the wire protocols. */
export * from './ids/index.ts';
export * from './errors/index.ts';
export * from './schema/limits.ts';
export * from './schema/templates.ts';
export * from './schema/records.ts';
export * from './schema/layout.ts';
export * from './schema/doc.ts';
export * from './schema/migrations.ts';
export * from './schema/session.ts';
export * from './schema/filters.ts';
export * from './schema/snapshots.ts';
export * from './schema/wallExport.ts';
export * from './schema/read.ts';
export * from './schema/clusters.ts';
export * from './protocol/yws.ts';
export * from './protocol/events.ts';
