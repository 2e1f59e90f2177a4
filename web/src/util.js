// Small DOM and naming helpers shared by the views.
export const RG = 'https://w3id.org/rightsgraph/ontology#';

/** Create an element: h('li', {class: 'x', onclick: f}, child, 'text', ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function localName(iri) {
  if (!iri) return '';
  const s = String(iri);
  return s.split(/[#/:]/).filter(Boolean).pop() || s;
}

/** The label of an IRI or compact IRI from the analysis' labels, else a readable local name. */
export function labeller(labels) {
  return (value) => {
    if (value === null || value === undefined) return '';
    const s = String(value);
    if (labels[s]) return labels[s];
    if (/^(https?:|[a-z][\w-]*:)/.test(s) && !s.includes(' ')) {
      return localName(s).replace(/_/g, ' ');
    }
    return s;
  };
}

export function statusName(status) {
  const name = localName(status);
  return { Established: 'established', NotEstablished: 'not established', Open: 'open' }[name] || name || 'unknown';
}

export async function fetchJSON(url, options) {
  const response = await fetch(url, options);
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error(typeof body === 'string' ? body.trim() : body.error || response.statusText);
  }
  return body;
}
