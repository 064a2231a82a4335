// Small DOM and formatting helpers shared by every part of the page.

export const AMBER_BELOW = 0.8;      // rows under this (and at or above the threshold) are amber, above green

export const $ = (id) => document.getElementById(id);

/** An element with properties (className, title, …), attributes (attrs) and children (nodes or text). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "attrs") for (const [a, v] of Object.entries(value)) node.setAttribute(a, v);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else if (key === "text") node.textContent = value;
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const fmt = (n) => Number(n).toLocaleString("en-US");
export const conf2 = (c) => (c === null || c === undefined ? "–" : Number(c).toFixed(2));
export const plural = (n, one, many = one + "s") => `${fmt(n)} ${n === 1 ? one : many}`;

export function formatTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (x) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Text with every occurrence of the query's words wrapped in <mark>, built as nodes (never markup). */
export function highlight(text, query) {
  const frag = document.createDocumentFragment();
  text = String(text ?? "");
  const terms = [...new Set([String(query || "").trim(), ...String(query || "").trim().split(/\s+/)])]
    .filter((t) => t.length > 0 && (t.length > 1 || /[^\x00-\x7f]/.test(t)))
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!terms.length) { frag.append(text); return frag; }
  const re = new RegExp(terms.join("|"), "giu");
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    frag.append(text.slice(last, m.index), el("mark", { text: m[0] }));
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}
