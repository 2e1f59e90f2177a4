// The case view: per jurisdiction, side by side, the conclusions of case_report(kb).to_json().
import { h, RG, labeller, localName, statusName } from './util.js';

const SECTIONS = [
  { key: 'protection', title: 'Protection', kinds: ['ProtectionDetermination'] },
  { key: 'authorship', title: 'Authorship', kinds: ['AuthorshipDetermination'] },
  { key: 'holders', title: 'Rights holders', kinds: ['OwnershipDetermination'] },
  { key: 'infringements', title: 'Possible infringements', kinds: ['InfringementDetermination'] },
  { key: 'open', title: 'Open questions', kinds: [] },
  { key: 'conflicts', title: 'Contract conflicts', kinds: ['ContractConflictDetermination'] },
  { key: 'duties', title: 'Missed duties', kinds: ['DutyBreachDetermination'] },
  { key: 'other', title: 'Other conclusions', kinds: [] },
];
const PAGE = 40;
const SHOWN_APART = new Set(['rg:reason', 'rg:bearingFact', 'rg:factor']);

function sectionOf(d) {
  if (localName(d.status) === 'Open') return 'open';
  const kind = localName(d.kind);
  const found = SECTIONS.find((s) => s.kinds.includes(kind));
  return found ? found.key : 'other';
}

function prop(d, name) {
  return d.properties[`rg:${name}`] || [];
}

/** One sentence for a conclusion, in the words of its kind. */
function headline(d, name) {
  const kind = localName(d.kind);
  const status = localName(d.status);
  const about = d.about_label || name(d.about);
  const list = (key) => prop(d, key).map(name).join(', ');
  if (kind === 'ProtectionDetermination') {
    return `${about}: ${status === 'Established' ? 'protected' : status === 'Open' ? 'protection open' : 'not protected'}`;
  }
  if (kind === 'AuthorshipDetermination') {
    const who = list('candidate') || 'someone';
    return `${who}: ${status === 'Established' ? 'author' : status === 'Open' ? 'authorship open' : 'not the author'} of ${about}`;
  }
  if (kind === 'OwnershipDetermination') {
    return [`${list('holder') || 'someone'}: ${list('right') || 'a right'}`, ` in ${about}`];
  }
  if (kind === 'InfringementDetermination') {
    const by = list('actor');
    return `${list('right') || 'A right'}${list('holder') ? ` of ${list('holder')}` : ''}: ${about}${by ? ` (by ${by})` : ''}`;
  }
  const details = Object.entries(d.properties)
    .filter(([k]) => !SHOWN_APART.has(k))
    .map(([k, vs]) => `${localName(k)}: ${vs.map(name).join(', ')}`)
    .join('; ');
  return `${name(d.kind).replace(/ ?Determination$/, '')}: ${about}${details ? ` (${details})` : ''}`;
}

function item(d, name, onSelect, previous) {
  const status = localName(d.status) || 'Unknown';
  // a reason the item above already gave is not repeated (it is in the proof)
  const reasons = previous && prop(previous, 'reason').join(' ') === prop(d, 'reason').join(' ') ? [] : prop(d, 'reason');
  const [line, aside] = [].concat(headline(d, name));
  const bearing = prop(d, 'bearingFact');
  const factors = prop(d, 'factor');
  return h('li', { class: `concl status-${status}`, 'data-iri': d.iri, 'data-kind': localName(d.kind) },
    h('button', { type: 'button', class: 'concl-button', 'aria-label': `${line}${aside || ''}, ${statusName(d.status)}: show the proof`,
      onclick: () => onSelect(d, `${line}${aside || ''}`) },
      h('span', { class: `badge badge-${status}` }, statusName(d.status)), ' ', h('span', { class: 'headline' }, line),
      aside ? h('span', { class: 'about' }, aside) : null),
    reasons.length ? h('p', { class: 'reason' }, reasons.join(' ')) : null,
    factors.length ? h('p', { class: 'factors' }, h('strong', {}, 'Factors: '), factors.map(name).join('; ')) : null,
    bearing.length && status === 'Open'
      ? h('p', { class: 'bearing' }, h('strong', {}, 'Facts that bear on it: '), bearing.map(name).join('; ')) : null);
}

export function renderCase(container, analysis, onSelect) {
  const name = labeller(analysis.labels);
  const dets = analysis.report.determinations;
  container.replaceChildren();
  for (const jur of analysis.jurisdictions) {
    const mine = dets.filter((d) => d.jurisdiction === jur.iri);
    const headingId = `jur-${jur.code}`;
    const column = h('section', { class: 'jur', 'data-jurisdiction': jur.code, 'aria-labelledby': headingId },
      h('h3', { id: headingId }, `${jur.code}`, h('span', { class: 'jur-label' }, ` ${jur.label !== jur.code ? jur.label : ''}`)));
    if (!mine.length) column.append(h('p', { class: 'hint' }, 'No rule applied to these facts here on this date.'));
    for (const section of SECTIONS) {
      const found = mine.filter((d) => sectionOf(d) === section.key);
      if (!found.length) continue;
      const shown = section.key === 'protection' || section.key === 'open'
        ? found : found.filter((d) => localName(d.status) !== 'NotEstablished');
      const rest = found.filter((d) => !shown.includes(d));
      const box = h('section', { class: `sec sec-${section.key}`, 'data-section': section.key },
        h('h4', {}, section.title, h('span', { class: 'count' }, ` (${shown.length})`)));
      if (shown.length) {
        // large graphs: the first PAGE items, the rest on request, so the view stays quick
        const list = h('ul', { class: 'concls' }, shown.slice(0, PAGE).map((d, i) => item(d, name, onSelect, shown[i - 1])));
        box.append(list);
        if (shown.length > PAGE) {
          const more = h('button', { type: 'button', class: 'more', onclick: () => {
            list.append(...shown.slice(PAGE).map((d, i) => item(d, name, onSelect, shown[PAGE + i - 1])));
            more.remove();
          } }, `Show all ${shown.length}`);
          box.append(more);
        }
      }
      else box.append(h('p', { class: 'hint' }, 'None established.'));
      if (rest.length) {
        box.append(h('details', { class: 'rest' }, h('summary', {}, `Considered, not established (${rest.length}${rest.length > 4 * PAGE ? `, the first ${4 * PAGE} listed` : ''})`),
          h('ul', { class: 'concls' }, rest.slice(0, 4 * PAGE).map((d, i) => item(d, name, onSelect, rest[i - 1])))));
      }
      column.append(box);
    }
    container.append(column);
  }
  container.style.setProperty('--columns', String(Math.max(1, analysis.jurisdictions.length)));
}
