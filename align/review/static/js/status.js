// The header: the one status line, progress bars and the breadcrumbs.

import { $, el } from "./dom.js";

let statusTimer = null;
/** The one status line in the header: kind is "info", "ok", "warn" or "error". */
export function setStatus(message, kind = "info") {
  const node = $("status");
  node.textContent = message || "";
  node.className = `status ${kind}`;
  clearTimeout(statusTimer);
  if (kind === "ok" || kind === "info") statusTimer = setTimeout(() => { node.textContent = ""; }, 8000);
}

export function setProgress(bar, value) {
  if (value === null || value === undefined) bar.removeAttribute("value");   // indeterminate
  else bar.value = value;
}

export function crumbs(...parts) {
  const nav = $("crumbs");
  nav.replaceChildren();
  parts.forEach((part, i) => {
    if (i) nav.append(el("span", { className: "crumb-sep", text: "›" }));
    nav.append(part.href ? el("a", { href: part.href, text: part.text }) : el("span", { text: part.text }));
  });
}
