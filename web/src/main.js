// The RightsGraph page: wires the case form to /api/analyse, and the views to its answer.
import './style.css';
import { h, fetchJSON } from './util.js';
import { renderCase } from './case-view.js';
import { renderProof } from './proof-view.js';
import { renderChain, renderLegend } from './chain-view.js';
import { initSparql } from './sparql-view.js';

const JURISDICTIONS = [
  ['CN', 'China'], ['US', 'United States'], ['EU', 'European Union'], ['DE', 'Germany'],
  ['UK', 'United Kingdom'], ['JP', 'Japan'],
];
const $ = (id) => document.getElementById(id);
let analysis = null;

function setupForm() {
  $('jurisdiction-boxes').replaceChildren(...JURISDICTIONS.map(([code, name]) => h('span', { class: 'check' },
    h('input', { type: 'checkbox', id: `j-${code}`, name: 'jurisdiction', value: code, checked: ['CN', 'US', 'UK'].includes(code) }),
    h('label', { for: `j-${code}`, title: name }, code))));
  $('turtle').addEventListener('input', () => { $('source-turtle').checked = true; });
  $('case-select').addEventListener('change', () => { $('source-case').checked = true; });
  $('case-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const jurisdictions = [...document.querySelectorAll('input[name=jurisdiction]:checked')].map((i) => i.value);
    if (!jurisdictions.length) {
      $('status').textContent = 'Choose at least one jurisdiction.';
      return;
    }
    const payload = { jurisdictions, as_of: $('as-of').value || null };
    if ($('source-turtle').checked) payload.turtle = $('turtle').value;
    else payload.case = $('case-select').value;
    $('status').textContent = 'Reasoning…';
    $('analyse').disabled = true;
    document.body.setAttribute('aria-busy', 'true');
    const started = performance.now();
    try {
      analysis = await fetchJSON('./api/analyse', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload),
      });
      show(analysis);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      $('status').textContent = `${analysis.report.determinations.length} conclusions for ${jurisdictions.join(', ')}`
        + `${analysis.as_of ? ` as of ${analysis.as_of}` : ' as of today'} (${seconds} s).`;
    } catch (error) {
      $('status').textContent = `Could not analyse: ${error.message}`;
    } finally {
      $('analyse').disabled = false;
      document.body.removeAttribute('aria-busy');
    }
  });
}

function show(result) {
  // conclusions, as the proof trees name them (concl:...), get a readable name too
  for (const d of result.report.determinations) {
    const kind = d.kind.replace(/^rg:/, '').replace(/Determination$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    const label = `${d.jurisdiction.split('/').pop()} ${kind} conclusion on ${d.about_label || d.about}`;
    result.labels[d.iri] = label;
    result.labels[d.iri.replace('https://w3id.org/rightsgraph/conclusion/', 'concl:')] = label;
  }
  $('findings-hint').hidden = true;
  renderCase($('columns'), result, openProof);
  $('proof').hidden = true;
  renderChain($('cy'), $('chain-list'), $('chain-hint'), result.chain);
  document.body.dataset.analysis = result.id;
}

async function openProof(conclusion, headline) {
  const section = $('proof');
  section.hidden = false;
  $('proof-body').replaceChildren(h('p', {}, 'Loading the proof…'));
  try {
    const params = new URLSearchParams({ id: analysis.id, iri: conclusion.iri });
    const tree = await fetchJSON(`./api/explain?${params}`);
    renderProof($('proof-body'), { iri: conclusion.iri, headline }, tree, analysis.labels);
  } catch (error) {
    $('proof-body').replaceChildren(h('p', {}, `Could not explain: ${error.message}`));
  }
  section.focus();
  section.scrollIntoView({ block: 'start' });
}

async function main() {
  setupForm();
  renderLegend($('chain-legend'));
  try {
    const cases = await fetchJSON('./api/cases');
    $('case-select').replaceChildren(...cases.map((c) => h('option', { value: c.name, title: c.label }, c.name)));
  } catch (error) {
    $('status').textContent = `Could not list the bundled cases: ${error.message}`;
  }
  try {
    await initSparql({
      form: $('sparql-form'), select: $('query-select'), summary: $('query-summary'), params: $('query-params'),
      target: $('query-target'), text: $('query-text'), status: $('query-status'), results: $('query-results'),
      download: $('download-csv'),
    }, () => analysis && analysis.id);
  } catch (error) {
    $('query-status').textContent = `Could not load the query library: ${error.message}`;
  }
  document.body.dataset.ready = 'true';
}

main();
