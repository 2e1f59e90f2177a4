// The chain view: the chain-behind-output query's edges drawn with Cytoscape, and listed as text.
import cytoscape from 'cytoscape';
import { h } from './util.js';

export const KIND_COLOURS = {
  output: '#b45309', generation: '#6b7280', user: '#2563eb', service: '#7c3aed', provider: '#7c3aed',
  model: '#0f766e', developer: '#0f766e', dataset: '#0369a1', work: '#15803d', creator: '#15803d',
  'opt-out': '#b91c1c', licence: '#a16207', act: '#be185d', actor: '#2563eb', platform: '#4b5563',
};
const MAX_EDGES = 600;
let cy = null;

export function renderLegend(container) {
  container.replaceChildren(...Object.entries(KIND_COLOURS).map(([kind, colour]) =>
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: `background:${colour}` }), kind)));
}

export function renderChain(box, list, hint, chain) {
  const edges = chain.edges.slice(0, MAX_EDGES);
  const used = new Set(edges.flatMap((e) => [e.source, e.target]));
  const nodes = chain.nodes.filter((n) => used.has(n.id));
  const optedOut = new Set(chain.edges.filter((e) => e.label === 'opts out').map((e) => e.target));
  hint.textContent = chain.edges.length === 0
    ? 'No AI output with a generation in these facts, so no chain to draw.'
    : `${nodes.length} nodes, ${edges.length} edges${chain.edges.length > MAX_EDGES ? ` (the first ${MAX_EDGES} of ${chain.edges.length})` : ''}. Works with an opt-out have a red border; licences are diamonds.`;
  if (cy) cy.destroy();
  cy = cytoscape({
    container: box,
    elements: [
      ...nodes.map((n) => ({
        data: { id: n.id, label: n.label.length > 48 ? `${n.label.slice(0, 46)}…` : n.label, kind: n.kinds[0],
          colour: KIND_COLOURS[n.kinds[0]] || '#374151' },
        classes: [n.kinds.includes('licence') ? 'licence' : '', n.kinds.includes('opt-out') ? 'optout' : '',
          optedOut.has(n.id) ? 'opted-out' : ''].join(' ').trim(),
      })),
      ...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, label: e.label } })),
    ],
    style: [
      { selector: 'node', style: { 'background-color': 'data(colour)', label: 'data(label)', 'font-size': 10,
        'text-wrap': 'wrap', 'text-max-width': 140, 'text-valign': 'bottom', 'text-margin-y': 4, width: 18, height: 18,
        color: '#111827' } },
      { selector: 'node.licence', style: { shape: 'diamond', width: 22, height: 22 } },
      { selector: 'node.optout', style: { shape: 'octagon' } },
      { selector: 'node.opted-out', style: { 'border-width': 4, 'border-color': '#b91c1c' } },
      { selector: 'edge', style: { width: 1.5, 'line-color': '#9ca3af', 'target-arrow-color': '#9ca3af',
        'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 8,
        color: '#4b5563', 'text-rotation': 'autorotate', 'text-background-color': '#ffffff',
        'text-background-opacity': 0.8 } },
    ],
    layout: { name: 'breadthfirst', directed: true, spacingFactor: 1.1, padding: 20 },
    
  });
  list.replaceChildren(h('table', { class: 'results' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'Relation'), h('th', { scope: 'col' }, 'To'))),
    h('tbody', {}, edges.map((e) => {
      const from = chain.nodes.find((n) => n.id === e.source);
      const to = chain.nodes.find((n) => n.id === e.target);
      return h('tr', {}, h('td', {}, `${from.label} (${from.kinds[0]})`), h('td', {}, e.label),
        h('td', {}, `${to.label} (${to.kinds[0]})${optedOut.has(e.target) ? ' [opted out]' : ''}`));
    }))));
}
