/**
 * The relationship map as GraphML (http://graphml.graphdrawing.org), which Gephi, yEd, Cytoscape
 * and graph libraries (graphology-graphml, NetworkX) open as is: one `<node>` per organization,
 * one undirected `<edge>` per link, with the same ids, labels, counts, kinds and notes as
 * `GET /api/boards/:id/network` (R145). Attribute names are declared with `<key>` so that a tool
 * shows "label", "notes", "weight", "kinds" rather than d0, d1…
 */
import type { Network } from '@maillage/shared';

/** XML text: the five escapes, and characters XML 1.0 forbids dropped. */
export function xmlText(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are control characters
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const KEYS = [
  { id: 'label', for: 'node', type: 'string' },
  { id: 'notes', for: 'node', type: 'int' },
  { id: 'weight', for: 'edge', type: 'double' },
  { id: 'kinds', for: 'edge', type: 'string' },
  { id: 'noteIds', for: 'edge', type: 'string' },
] as const;

/** `network` as a GraphML document. Kinds and note ids are space-separated lists. */
export function networkGraphml(network: Network, title: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...KEYS.map((k) => `  <key id="${k.id}" for="${k.for}" attr.name="${k.id}" attr.type="${k.type}"/>`),
    `  <graph id="${xmlText(title || 'maillage')}" edgedefault="undirected">`,
  ];
  for (const n of network.nodes) {
    lines.push(`    <node id="${xmlText(n.id)}">`, `      <data key="label">${xmlText(n.label)}</data>`, `      <data key="notes">${n.notes}</data>`, '    </node>');
  }
  network.edges.forEach((e, i) => {
    lines.push(
      `    <edge id="e${i}" source="${xmlText(e.source)}" target="${xmlText(e.target)}">`,
      `      <data key="weight">${e.weight}</data>`,
      `      <data key="kinds">${e.kinds.join(' ')}</data>`,
      `      <data key="noteIds">${xmlText(e.notes.join(' '))}</data>`,
      '    </edge>',
    );
  });
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}
