// The side panels: concordance search and term lookup in the memory, fuzzy matches for the selected row.

import { $, conf2, el, fmt, highlight, plural } from "./dom.js";
import { api } from "./api.js";

/** Adds this module's functions to the document page's context P. */
export function install(P) {
  const selected = (...args) => P.selected(...args);

  // --- side panel ---

  /** Shows one side panel (tabs keep every panel reachable without scrolling the page). */
  function showTab(name) {
    for (const tab of document.querySelectorAll(".side-tabs [role=tab]")) {
      const on = tab.id === `tab-${name}`;
      tab.setAttribute("aria-selected", String(on));
      $(tab.getAttribute("aria-controls")).hidden = !on;
    }
  }

  async function concordance(query) {
    showTab("search");
    const out = $("search-results");
    query = query.trim();
    if (!query) { out.replaceChildren(); return; }
    try {
      const r = await api("GET", `/api/search?q=${encodeURIComponent(query)}&limit=20`);
      if (!r.units.length) { out.replaceChildren(el("p", { className: "empty", text: `No unit contains “${query}”.` })); return; }
      out.replaceChildren(
        el("p", { className: "result-count", text: `${plural(r.units.length, "unit")}${r.units.length >= 20 ? " (first 20)" : ""}` }),
        ...r.units.map((u) => el("div", { className: "result" },
          el("div", { className: "r-zh", lang: "zh" }, highlight(u.zh, query)),
          el("div", { className: "r-en", lang: "en" }, highlight(u.en, query)),
          el("div", { className: "r-meta", text: [u.document, u.speaker, u.confidence != null ? conf2(u.confidence) : null].filter(Boolean).join(" · ") }))));
    } catch (err) { out.replaceChildren(el("p", { className: "error", text: err.message })); }
  }

  async function lookup(term) {
    showTab("lookup");
    const out = $("lookup-results");
    term = term.trim();
    if (!term) { out.replaceChildren(); return; }
    try {
      const r = await api("GET", `/api/lookup?term=${encodeURIComponent(term)}&limit=5`);
      if (!r.renderings.length) { out.replaceChildren(el("p", { className: "empty", text: `No rendering of “${term}” in the memory.` })); return; }
      out.replaceChildren(...r.renderings.map((x) => ({ ...x, text: x.rendering ?? x.text })).map((x) => el("div", { className: "result rendering" },
        el("div", { className: "r-term" },
          el("strong", { lang: "zh", text: x.text }),
          el("span", { className: "r-meta", text: ` ×${fmt(x.count)}${x.score != null ? ` · score ${conf2(x.score)}` : ""}` })),
        x.example ? el("div", { className: "r-zh", lang: "zh" }, highlight(x.example.zh, x.text)) : null,
        x.example ? el("div", { className: "r-en", lang: "en" }, highlight(x.example.en, term)) : null)));
    } catch (err) { out.replaceChildren(el("p", { className: "error", text: err.message })); }
  }

  /** Fuzzy matches from the memory for the selected bead's Chinese (or English) text, the bead's own unit left out. */
  async function fuzzy() {
    showTab("fuzzy");
    const out = $("fuzzy-results");
    const bead = selected();
    if (!bead) { out.replaceChildren(el("p", { className: "empty", text: "Select a row first." })); return; }
    const side = bead.zh.length ? "zh" : "en";
    const query = bead[side].map((s) => s.text).join(side === "zh" ? "" : " ");
    const own = [bead.zh.map((s) => s.text).join(""), bead.en.map((s) => s.text).join(" ")];
    try {
      const r = await api("GET", `/api/match?q=${encodeURIComponent(query)}&lang=${side}&min_score=50&limit=6`);
      const found = r.matches.filter((m) => !(m.zh === own[0] && m.en === own[1])).slice(0, 5);
      if (!found.length) { out.replaceChildren(el("p", { className: "empty", text: `No match of 50% or more for bead ${bead.index}.` })); return; }
      out.replaceChildren(
        el("p", { className: "result-count", text: `bead ${bead.index}: ${plural(found.length, "match", "matches")}` }),
        ...found.map((m) => el("div", { className: "result" },
          el("div", { className: "r-term" }, el("strong", { text: `${m.percent}%` })),
          el("div", { className: "r-zh", lang: "zh", text: m.zh }),
          el("div", { className: "r-en", lang: "en", text: m.en }),
          el("div", { className: "r-meta", text: [m.document, m.confidence != null ? conf2(m.confidence) : null].filter(Boolean).join(" · ") }))));
    } catch (err) { out.replaceChildren(el("p", { className: "error", text: err.message })); }
  }

  Object.assign(P, { showTab, concordance, lookup, fuzzy });
}
