// The documents list (/): every stored alignment with its counts, sortable, and the import box (which asks
// before a pair replaces a document of the same name).

import { $, conf2, el, fmt, formatTime } from "./dom.js";
import { api, pollJob } from "./api.js";
import { crumbs, setProgress, setStatus } from "./status.js";

export function documentsPage() {
  $("documents-view").hidden = false;
  $("footer").hidden = true;
  document.title = "Documents · align review";
  crumbs({ text: "Documents" });
  const state = { documents: [], threshold: 0.5, sortKey: "updated", sortDir: -1 };

  async function refresh() {
    try {
      const data = await api("GET", "/api/documents");
      state.documents = data.documents || [];
      state.threshold = data.threshold;
      render();
    } catch (err) { setStatus(err.message, "error"); }
  }

  function sortValue(doc, key) {
    const v = doc[key];
    return typeof v === "number" ? v : String(v ?? "");
  }

  function render() {
    const docs = [...state.documents].sort((a, b) => {
      const x = sortValue(a, state.sortKey), y = sortValue(b, state.sortKey);
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return c * state.sortDir || a.stem.localeCompare(b.stem);
    });
    for (const th of document.querySelectorAll("#documents-table th")) {
      th.setAttribute("aria-sort", th.dataset.key === state.sortKey ? (state.sortDir > 0 ? "ascending" : "descending") : "none");
    }
    const under = document.querySelector('#documents-table th[data-key="under_threshold"]');
    under.textContent = `Under ${conf2(state.threshold)}`;
    const body = $("documents-body");
    body.replaceChildren(...docs.map((d) => {
      const share = Math.max(0, Math.min(1, Number(d.reviewed_share) || 0));
      const fill = el("span", { className: "fill" });
      fill.style.width = `${(share * 100).toFixed(1)}%`;
      return el("tr", { dataset: { stem: d.stem } },
        el("td", {},
          el("a", { className: "doc-link", href: `/documents/${encodeURIComponent(d.stem)}`, text: d.stem }),
          el("div", { className: "files", text: [d.zh_file, d.en_file].filter(Boolean).join(" · ") })),
        el("td", { className: "aligner", text: d.aligner ?? "" }),
        el("td", { className: "num units", text: fmt(d.units) }),
        el("td", { className: "num unpaired" + (d.unpaired ? " warn" : ""), text: fmt(d.unpaired) }),
        el("td", { className: "num under" + (d.under_threshold ? " bad" : ""), text: fmt(d.under_threshold) }),
        el("td", { className: "num confirmed", text: fmt(d.confirmed) }),
        el("td", { className: "reviewed" },
          el("span", { className: "meter", attrs: { role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
                                                 "aria-valuenow": String(Math.round(share * 100)),
                                                 "aria-label": `${d.stem}: reviewed` } }, fill),
          el("span", { className: "pct", text: `${Math.round(share * 100)}%` })),
        el("td", { className: "updated", text: formatTime(d.updated) }));
    }));
    $("documents-empty").hidden = docs.length > 0;
    $("documents-table").hidden = docs.length === 0;
  }

  for (const th of document.querySelectorAll("#documents-table th")) {
    th.tabIndex = 0;
    const sortBy = () => {
      const key = th.dataset.key;
      state.sortDir = state.sortKey === key ? -state.sortDir : (key === "stem" || key === "aligner" ? 1 : -1);
      state.sortKey = key;
      render();
    };
    th.addEventListener("click", sortBy);
    th.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(); } });
  }

  const box = $("import-job"), bar = $("import-progress"), message = $("import-message");
  const choices = $("import-choices"), button = $("import-button");

  /** Uploads the pair in `form` and follows its job; a document of the same name makes it ask first. */
  async function upload(form) {
    box.hidden = false;
    box.className = "job";
    choices.hidden = true;
    setProgress(bar, null);
    message.textContent = `uploading ${form.get("en").name} and ${form.get("zh").name}…`;
    button.disabled = true;
    try {
      const { job } = await api("POST", "/api/import", form);
      const final = await pollJob(job, (j) => {
        setProgress(bar, j.progress);
        message.textContent = j.message || "aligning…";
      });
      if (final.state === "done") {
        box.className = "job done";
        bar.value = 1;
        message.replaceChildren(final.message || "imported", " ",
          final.stem ? el("a", { href: `/documents/${encodeURIComponent(final.stem)}`, text: `open ${final.stem}` }) : "");
        await refresh();
      } else {
        box.className = "job failed";
        bar.value = 0;
        message.textContent = String(final.message || "the import failed").split("\n")[0];
      }
    } catch (err) {
      if (err.status === 409) ask(form, err.message);
      else {
        box.className = "job failed";
        bar.value = 0;
        message.textContent = err.message;
      }
    } finally {
      button.disabled = false;
    }
  }

  /** The server's question about a name already taken, with its two answers (the form field each sends) and Cancel. */
  function ask(form, question) {
    const free = /\bname=(.+) to import them as a new document/.exec(question);
    const answer = (field, value) => () => {
      const again = new FormData();
      for (const [key, v] of form) if (key !== "replace" && key !== "name") again.append(key, v);
      again.append(field, value);
      upload(again);
    };
    box.className = "job ask";
    message.textContent = question;
    choices.hidden = false;
    choices.replaceChildren(
      el("button", { type: "button", className: "replace", text: "Replace (align again, reviewed units kept where their sentences remain)",
                     on: { click: answer("replace", "true") } }),
      free ? el("button", { type: "button", className: "rename primary", text: `Import as ${free[1]}`,
                            on: { click: answer("name", free[1]) } }) : null,
      el("button", { type: "button", className: "cancel", text: "Cancel",
                     on: { click: () => { box.hidden = true; choices.replaceChildren(); } } }));
  }

  $("import-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const en = $("import-en").files[0], zh = $("import-zh").files[0];
    if (!en || !zh) { setStatus("choose an English and a Chinese transcript first", "error"); return; }
    const form = new FormData();
    form.append("en", en);
    form.append("zh", zh);
    form.append("method", $("import-method").value);
    upload(form);
  });

  refresh();
}
