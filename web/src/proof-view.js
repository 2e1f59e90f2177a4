// The proof view: the explanation tree of one conclusion, down to the facts, with legal sources as links.
import { h, labeller, localName } from './util.js';

const BASIS = {
  asserted: 'fact', derived: 'derived', 'entailed by the ontology': 'ontology entailment',
  ontology: 'ontology', context: 'context', path: 'path',
};

function statement(triple, name) {
  const [s, p, o] = triple;
  return h('span', { class: 'stmt' }, h('span', { class: 's' }, name(s)), ' ',
    h('span', { class: 'p' }, localName(p)), ' ', h('span', { class: 'o' }, name(o)));
}

function derivation(d, name, sources, depth) {
  const premises = d.premises || [];
  return h('div', { class: 'derivation' },
    h('p', { class: 'rule' }, h('span', { class: 'rule-tag' }, 'Rule'), ' ',
      h('a', { href: d.rule, class: 'rule-label', target: '_blank', rel: 'noopener' }, d.label || localName(d.rule)),
      d.as_of ? h('span', { class: 'hint' }, ` as of ${d.as_of}`) : null),
    d.legal_sources.length
      ? h('p', { class: 'sources' }, h('span', { class: 'rule-tag' }, 'Legal source'), ' ',
        d.legal_sources.map((s, i) => [i ? ' · ' : '', h('a', { href: s, class: 'legal-source', target: '_blank', rel: 'noopener' }, sources[s] || s)]))
      : null,
    premises.length ? h('ul', { class: 'premises' }, grouped(premises).map((g) => premise(g, name, sources, depth + 1))) : null);
}

/** Premises produced by one and the same rule firing are shown together, with that firing once. */
function grouped(premises) {
  const groups = [];
  const byFiring = new Map();
  for (const p of premises) {
    const key = p.derivation ? `${p.derivation.rule} ${JSON.stringify(p.derivation.produced)}` : null;
    if (key && byFiring.has(key)) {
      byFiring.get(key).statements.push(p.statement);
      continue;
    }
    const group = { ...p, statements: [p.statement] };
    if (key) byFiring.set(key, group);
    groups.push(group);
  }
  return groups;
}

function premise(p, name, sources, depth) {
  const basis = BASIS[p.basis] || p.basis;
  const badge = h('span', { class: `badge basis basis-${basis.replace(/\W+/g, '-')}` }, basis);
  if (!p.derivation) return h('li', {}, badge, ' ', statement(p.statement, name));
  const line = p.statements.length === 1 ? [badge, ' ', statement(p.statement, name)]
    : [badge, ' ', h('span', { class: 'stmt' }, `${p.statements.length} statements about ${name(p.statement[0])}: `),
      p.statements.map((t, i) => [i ? '; ' : '', h('span', { class: 'p' }, localName(t[1])), ' ', name(t[2])])];
  return h('li', {}, h('details', { open: depth < 2 }, h('summary', {}, line), derivation(p.derivation, name, sources, depth)));
}

export function renderProof(container, conclusion, tree, labels) {
  const name = labeller(labels);
  const derivations = tree.derivations || [];
  container.replaceChildren(...[
    h('p', { class: 'proof-of' }, h('strong', {}, 'Conclusion: '), conclusion.headline,
      ' ', h('code', {}, localName(conclusion.iri))),
    derivations.length ? null : h('p', {}, 'No rule firing is recorded for this conclusion.'),
    h('ol', { class: 'derivations' }, derivations.map((d, i) => h('li', {},
      derivations.length > 1 ? h('p', { class: 'hint' }, `Derivation ${i + 1} of ${derivations.length}`) : null,
      derivation(d, name, tree.source_labels || {}, 0))))].filter(Boolean));
}
