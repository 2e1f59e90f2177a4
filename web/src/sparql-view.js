// The query box: the library's queries ready to run, or any SPARQL; results as a table and as CSV.
import { h, fetchJSON } from './util.js';

let library = [];
let lastUrl = null;

function csvCell(value) {
  const s = value === undefined || value === null ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function initSparql(els, getSession) {
  library = await fetchJSON('./queries');
  els.select.replaceChildren(...library.map((q) => h('option', { value: q.name }, q.name)));
  const choose = () => {
    const q = library.find((x) => x.name === els.select.value);
    if (!q) return;
    els.summary.textContent = q.summary;
    els.text.value = q.text || '';
    els.params.replaceChildren(...q.params.map((p) => h('span', { class: 'param' },
      h('label', { for: `param-${p.name}` }, `${p.name}${p.required ? '' : ' (optional)'}`),
      h('input', { id: `param-${p.name}`, name: p.name, value: q.example[p.name] || '', title: p.description, size: 34 }))));
  };
  els.select.addEventListener('change', choose);
  choose();
  els.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = library.find((x) => x.name === els.select.value);
    const session = els.target.value === 'session' ? getSession() : null;
    if (els.target.value === 'session' && !session) {
      els.status.textContent = 'Analyse a case first, or run over the server\'s knowledge base.';
      return;
    }
    const headers = { Accept: 'application/sparql-results+json' };
    let request;
    if (q && els.text.value === (q.text || '')) {
      const params = new URLSearchParams();
      for (const input of els.params.querySelectorAll('input')) if (input.value) params.set(input.name, input.value);
      if (session) params.set('session', session);
      request = fetch(`./queries/${encodeURIComponent(q.name)}?${params}`, { headers });
    } else {
      const body = new URLSearchParams({ query: els.text.value });
      if (session) body.set('session', session);
      request = fetch('./sparql', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    }
    els.status.textContent = 'Running…';
    try {
      const response = await request;
      const type = response.headers.get('Content-Type') || '';
      if (!response.ok) throw new Error((await response.text()).trim());
      if (!type.includes('json')) {
        const text = await response.text();
        showGraph(els, text);
        return;
      }
      showTable(els, await response.json());
    } catch (error) {
      els.status.textContent = `The query failed: ${error.message}`;
      els.results.replaceChildren();
      els.download.hidden = true;
    }
  });
}

function showGraph(els, text) {
  els.status.textContent = 'A graph (Turtle):';
  els.results.replaceChildren(h('pre', {}, text));
  setDownload(els, text, 'text/turtle', 'results.ttl');
}

function showTable(els, data) {
  if (typeof data.boolean === 'boolean') {
    els.status.textContent = `Answer: ${data.boolean ? 'yes' : 'no'}`;
    els.results.replaceChildren();
    setDownload(els, `answer\n${data.boolean}\n`, 'text/csv', 'results.csv');
    return;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings;
  els.status.textContent = `${rows.length} row${rows.length === 1 ? '' : 's'}.`;
  els.results.replaceChildren(h('table', { class: 'results', id: 'results-table' },
    h('caption', { class: 'visually-hidden' }, 'Query results'),
    h('thead', {}, h('tr', {}, vars.map((v) => h('th', { scope: 'col' }, v)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, vars.map((v) => h('td', {}, row[v] ? row[v].value : '')))))));
  const csv = [vars.map(csvCell).join(','), ...rows.map((row) => vars.map((v) => csvCell(row[v] && row[v].value)).join(','))].join('\r\n') + '\r\n';
  setDownload(els, csv, 'text/csv', `${els.select.value || 'results'}.csv`);
}

function setDownload(els, text, type, filename) {
  if (lastUrl) URL.revokeObjectURL(lastUrl);
  lastUrl = URL.createObjectURL(new Blob([text], { type }));
  els.download.href = lastUrl;
  els.download.download = filename;
  els.download.hidden = false;
}
