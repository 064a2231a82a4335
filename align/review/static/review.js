// The review page: plain JavaScript talking JSON to /api (contract: the README's API section).
// One index.html serves both pages; this script routes by location.pathname:
//   /                  the stored alignments, with an import box
//   /documents/{stem}  one alignment, bead by bead, with the operations and a memory side panel
// Text from the server is always put in the page with textContent / createTextNode, never as markup.
"use strict";

(() => {
  const PAGE_SIZE = 200;        // rows a page: a 5,000-bead document is never rendered whole
  const AMBER_BELOW = 0.8;      // rows under this (and at or above the threshold) are amber, above green
  const POLL_MS = 400;          // how often a background job is asked about

  // ---------- small helpers ----------

  const $ = (id) => document.getElementById(id);

  /** An element with properties (className, title, …), attributes (attrs) and children (nodes or text). */
  function el(tag, props = {}, ...children) {
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

  const fmt = (n) => Number(n).toLocaleString("en-US");
  const conf2 = (c) => (c === null || c === undefined ? "–" : Number(c).toFixed(2));
  const plural = (n, one, many = one + "s") => `${fmt(n)} ${n === 1 ? one : many}`;

  function formatTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const p = (x) => String(x).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }

  /** Text with every occurrence of the query's words wrapped in <mark>, built as nodes (never markup). */
  function highlight(text, query) {
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

  class ApiError extends Error {
    constructor(status, detail) { super(detail); this.status = status; this.detail = detail; }
  }

  /** One line out of an error body: {"detail": "…"} or FastAPI's list of validation errors. */
  function detailOf(data, response) {
    const d = data && data.detail;
    if (typeof d === "string") return d;
    if (Array.isArray(d)) return d.map((e) => [(e.loc || []).slice(1).join("."), e.msg].filter(Boolean).join(": ")).join("; ");
    return `${response.status} ${response.statusText || "error"}`;
  }

  /** JSON from the API; throws ApiError with the server's one-line detail on a 4xx/5xx. */
  async function api(method, path, body) {
    const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body instanceof FormData) options.body = body;
    else if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try { response = await fetch(path, options); }
    catch (err) { throw new ApiError(0, "the review server does not answer; is `python -m align review` still running?"); }
    const raw = await response.text();
    let data = null;
    try { data = raw ? JSON.parse(raw) : null; } catch (err) { data = null; }
    if (!response.ok) throw new ApiError(response.status, detailOf(data, response).split("\n")[0]);
    return data;
  }

  let statusTimer = null;
  /** The one status line in the header: kind is "info", "ok", "warn" or "error". */
  function setStatus(message, kind = "info") {
    const node = $("status");
    node.textContent = message || "";
    node.className = `status ${kind}`;
    clearTimeout(statusTimer);
    if (kind === "ok" || kind === "info") statusTimer = setTimeout(() => { node.textContent = ""; }, 8000);
  }

  /** Polls a background job until it is done or failed; onUpdate sees every state. */
  async function pollJob(id, onUpdate) {
    for (;;) {
      const job = await api("GET", `/api/jobs/${encodeURIComponent(id)}`);
      onUpdate(job);
      if (job.state !== "running") return job;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  function setProgress(bar, value) {
    if (value === null || value === undefined) bar.removeAttribute("value");   // indeterminate
    else bar.value = value;
  }

  function crumbs(...parts) {
    const nav = $("crumbs");
    nav.replaceChildren();
    parts.forEach((part, i) => {
      if (i) nav.append(el("span", { className: "crumb-sep", text: "›" }));
      nav.append(part.href ? el("a", { href: part.href, text: part.text }) : el("span", { text: part.text }));
    });
  }

  // ---------- the documents list ----------

  function documentsPage() {
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

    $("import-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const form = new FormData();
      const en = $("import-en").files[0], zh = $("import-zh").files[0];
      const box = $("import-job"), bar = $("import-progress"), message = $("import-message"), button = $("import-button");
      if (!en || !zh) { setStatus("choose an English and a Chinese transcript first", "error"); return; }
      form.append("en", en);
      form.append("zh", zh);
      form.append("method", $("import-method").value);
      box.hidden = false;
      box.className = "job";
      setProgress(bar, null);
      message.textContent = `uploading ${en.name} and ${zh.name}…`;
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
        box.className = "job failed";
        bar.value = 0;
        message.textContent = err.message;
      } finally {
        button.disabled = false;
      }
    });

    refresh();
  }

  // ---------- one document ----------

  function documentPage(stem) {
    $("document-view").hidden = false;
    document.body.classList.add("doc-mode");
    document.title = `${stem} · align review`;
    crumbs({ text: "Documents", href: "/" }, { text: stem });
    const base = `/api/documents/${encodeURIComponent(stem)}`;
    const params = new URLSearchParams(location.search);
    const S = {
      filter: params.get("filter") || "all",
      order: params.get("order") || "position",
      limit: Math.min(1000, Math.max(5, parseInt(params.get("limit"), 10) || PAGE_SIZE)),
      page: Math.max(0, (parseInt(params.get("page"), 10) || 1) - 1),
      data: null,            // the last GET of the document
      version: null,
      sel: -1,               // selected row: position on this page
      chosen: null,          // {side, ids}: sentences chosen in the selected row (for edit)
      anchor: null,          // first sentence of a shift-click range
      mode: null,            // null | "split" | "edit"
      split: null,           // {zh: k, en: m}
      editor: null,          // {side, ids}
      queue: Promise.resolve(),
    };
    $("filter-select").value = S.filter;
    $("order-select").value = S.order;
    const hashBead = /^#b(\d+)$/.exec(location.hash);
    let wanted = hashBead ? { index: Number(hashBead[1]) } : null;
    if (wanted && S.filter === "all" && S.order === "position" && !params.get("page")) S.page = Math.floor(wanted.index / S.limit);

    const beads = () => (S.data ? S.data.beads : []);
    const selected = () => beads()[S.sel] || null;
    const pages = () => Math.max(1, Math.ceil((S.data ? S.data.total : 0) / S.limit));

    function syncUrl() {
      const q = new URLSearchParams();
      if (S.filter !== "all") q.set("filter", S.filter);
      if (S.order !== "position") q.set("order", S.order);
      if (S.page) q.set("page", String(S.page + 1));
      if (S.limit !== PAGE_SIZE) q.set("limit", String(S.limit));
      const b = selected();
      const url = `${location.pathname}${q.toString() ? "?" + q : ""}${b ? "#b" + b.index : ""}`;
      history.replaceState(null, "", url);
    }

    /** Reloads the current page of beads; `prefer` keeps the selection on a bead index or a row position. */
    async function load(prefer = {}) {
      const q = new URLSearchParams({ filter: S.filter, order: S.order, offset: String(S.page * S.limit), limit: String(S.limit) });
      let data;
      try {
        data = await api("GET", `${base}?${q}`);
      } catch (err) {
        if (err.status === 404) showMissing(err.message);
        else setStatus(err.message, "error");
        return;
      }
      if (data.beads.length === 0 && data.total > 0 && S.page > 0) {
        S.page = Math.ceil(data.total / S.limit) - 1;
        return load(prefer);
      }
      const before = S.sel;
      S.data = data;
      S.version = data.version;
      let sel = -1;
      if (prefer.index !== undefined) sel = data.beads.findIndex((b) => b.index === prefer.index);
      if (sel < 0 && prefer.position !== undefined) sel = prefer.position;
      if (sel < 0) sel = before;
      S.sel = data.beads.length ? Math.max(0, Math.min(sel, data.beads.length - 1)) : -1;
      S.mode = null; S.chosen = null; S.anchor = null;
      render();
      if (prefer.scroll !== false) scrollToSelection();
    }

    function showMissing(message) {
      setStatus(message, "error");
      $("bead-rows").replaceChildren();
      $("beads-empty").hidden = false;
      $("beads-empty").replaceChildren(message, " ", el("a", { href: "/", text: "Back to the documents" }));
    }

    function rowClass(b) {
      const parts = ["row", `status-${b.status}`];
      if (!b.paired) parts.push("unpaired");
      const c = Number(b.confidence);
      parts.push(c < S.data.threshold ? "conf-low" : c < AMBER_BELOW ? "conf-mid" : "conf-high");
      return parts.join(" ");
    }

    function renderHead() {
      const d = S.data, s = d.summary;
      $("doc-title").textContent = stem;
      const share = Math.max(0, Math.min(1, Number(s.reviewed_share) || 0));
      const fill = el("span", { className: "fill" });
      fill.style.width = `${(share * 100).toFixed(1)}%`;
      $("doc-counts").replaceChildren(
        el("span", { className: "count", text: plural(s.units, "unit") }),
        el("span", { className: "count" + (s.unpaired ? " warn" : ""), text: `${fmt(s.unpaired)} unpaired` }),
        el("span", { className: "count" + (s.under_threshold ? " bad" : ""), text: `${fmt(s.under_threshold)} under ${conf2(d.threshold)}` }),
        el("span", { className: "count", text: `${fmt(s.confirmed)} confirmed` }),
        el("span", { className: "count", text: `${fmt(s.edited)} edited` }),
        el("span", { className: "count reviewed" },
          el("span", { className: "meter", attrs: { role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
                                                 "aria-valuenow": String(Math.round(share * 100)), "aria-label": "reviewed" } }, fill),
          ` ${Math.round(share * 100)}% reviewed`),
        el("span", { className: "count aligner", text: s.aligner ? `aligned by ${s.aligner}` : "" }));
      renderLegend();
      $("undo-button").disabled = !d.can_undo;
      $("redo-button").disabled = !d.can_redo;
      exportHref();
      const first = d.total ? d.offset + 1 : 0, last = d.offset + d.beads.length;
      $("page-info").textContent = `${fmt(first)}–${fmt(last)} of ${fmt(d.total)} · page ${S.page + 1} of ${pages()}`;
      $("page-first").disabled = $("page-prev").disabled = S.page === 0;
      $("page-next").disabled = $("page-last").disabled = S.page >= pages() - 1;
    }

    function renderLegend() {
      const t = conf2(S.data.threshold), a = conf2(AMBER_BELOW);
      $("legend").replaceChildren(...[
        ["conf-low", `< ${t}`], ["conf-mid", `${t}–${a}`], ["conf-high", `≥ ${a}`],
        ["status-confirmed", "confirmed"], ["status-edited", "edited"],
      ].map(([cls, label]) => el("span", { className: `key ${cls}` }, el("span", { className: "swatch" }), label)));
    }

    function exportHref() {
      const only = $("export-confirmed-only").checked;
      $("export-link").href = `${base}/tmx?confirmed_only=${only}`;
      $("export-link").setAttribute("download", `${stem}.tmx`);
    }

    function speakerOf(sentences) {
      const s = sentences.find((x) => x.speaker);
      return s ? s.speaker : null;
    }

    /** A separator line naming the speakers, before a bead that starts a new turn. */
    function turnLine(b, continued) {
      const zh = speakerOf(b.zh), en = speakerOf(b.en);
      return el("div", { className: "turn" + (continued ? " continued" : ""), attrs: { role: "presentation" } },
        el("span", { className: "col-meta", text: continued ? "…" : "" }),
        el("span", { className: "col-zh", lang: "zh", text: zh ?? "" }),
        el("span", { className: "col-en", lang: "en", text: en ?? "" }));
    }

    function sentenceNodes(b, side, pos) {
      const sentences = b[side];
      if (!sentences.length) {
        return [el("span", { className: "placeholder", text: side === "zh" ? "— no Chinese sentence —" : "— no English sentence —" })];
      }
      return sentences.map((s) => {
        const chosen = S.chosen && pos === S.sel && S.chosen.side === side && S.chosen.ids.includes(s.id);
        return el("span", {
          className: "sent" + (chosen ? " chosen" : ""), text: s.text,
          dataset: { side, id: String(s.id) },
          title: `${side === "zh" ? "Chinese" : "English"} sentence ${s.id}, line ${s.line ?? "?"}` +
                 (pos === S.sel ? " — click to choose it for editing, shift-click for a range, double-click to edit" : ""),
        });
      });
    }

    function renderRow(b, pos) {
      const isSel = pos === S.sel;
      const badge = b.status === "confirmed" ? "✓ confirmed" : b.status === "edited" ? "✎ edited" : "";
      const row = el("div", {
        className: rowClass(b) + (isSel ? " selected" : ""),
        id: `bead-${b.index}`,
        dataset: { pos: String(pos), index: String(b.index) },
        attrs: { role: "option", "aria-selected": String(isSel) },
      },
        el("div", { className: "meta" },
          el("span", { className: "idx", text: fmt(b.index), title: "bead number" }),
          el("span", { className: "conf", text: conf2(b.confidence), title: "the aligner's confidence" }),
          b.kind !== "1-1" ? el("span", { className: "kind", text: b.kind, title: "Chinese–English sentences" }) : null,
          badge ? el("span", { className: "badge", text: badge, title: b.changed ? `changed ${formatTime(b.changed)}` : "" }) : null),
        el("div", { className: "cell zh", lang: "zh" },
          inlineSpeaker(b, "zh"), sentenceNodes(b, "zh", pos)),
        el("div", { className: "cell en", lang: "en" },
          inlineSpeaker(b, "en"), sentenceNodes(b, "en", pos)));
      if (isSel) {
        if (S.mode === "split") row.append(splitChooser(b));
        else if (S.mode === "edit") row.append(editor(b));
        else row.append(rowActions(b));
      }
      return row;
    }

    /** In an order other than position, neighbouring rows are not neighbours in the text: label each. */
    function inlineSpeaker(b, side) {
      if (S.order === "position") return null;
      const who = speakerOf(b[side]);
      return who ? el("span", { className: "speaker", text: who }) : null;
    }

    function actionButton(label, key, title, fn, extra = "") {
      return el("button", {
        type: "button", className: `act ${extra}`.trim(), title: `${title} (${key})`,
        on: { click: (e) => { e.stopPropagation(); fn(); } },
      }, label, el("kbd", { text: key }));
    }

    function rowActions(b) {
      const confirmed = b.status === "confirmed";
      return el("div", { className: "row-actions", attrs: { role: "toolbar", "aria-label": "Operations on the selected bead" } },
        confirmed
          ? actionButton("Unconfirm", "C", "Back to unreviewed", unconfirm)
          : actionButton("Confirm", "c", "Confirm this bead and go to the next", confirm, "primary"),
        actionButton("Merge ↓", "m", "Merge with the next bead", () => op("merge")),
        actionButton("Split…", "s", "Split this bead in two", openSplit),
        el("span", { className: "group", title: "Move a sentence to the neighbouring bead" },
          el("span", { className: "group-label", text: "中文" }),
          actionButton("↑", "[", "Move the first Chinese sentence up to the previous bead", () => shift("zh", "up")),
          actionButton("↓", "]", "Move the last Chinese sentence down to the next bead", () => shift("zh", "down")),
          el("span", { className: "group-label", text: "EN" }),
          actionButton("↑", "{", "Move the first English sentence up to the previous bead", () => shift("en", "up")),
          actionButton("↓", "}", "Move the last English sentence down to the next bead", () => shift("en", "down"))),
        actionButton("Unpair", "u", "Make one unpaired bead per sentence", () => op("unpair")),
        actionButton("Pair ↓", "p", "Pair this unpaired sentence with the unpaired next one", () => op("pair")),
        actionButton("Edit 中文", "e", "Edit the chosen sentences, or the Chinese side", () => openEditor(null)),
        actionButton("Edit English", "E", "Edit the English side", () => openEditor("en")));
    }

    function render() {
      renderHead();
      const rows = $("bead-rows");
      const list = beads();
      const nodes = [];
      list.forEach((b, pos) => {
        const named = speakerOf(b.zh) || speakerOf(b.en);
        if (S.order === "position" && named && (b.turn_break || pos === 0)) nodes.push(turnLine(b, !b.turn_break));
        nodes.push(renderRow(b, pos));
      });
      rows.replaceChildren(...nodes);
      $("beads-empty").hidden = list.length > 0;
      $("beads-empty").textContent = "No bead matches this filter.";
      syncUrl();
      const ta = rows.querySelector("textarea");
      if (ta) { ta.focus(); ta.setSelectionRange(ta.value.length, ta.value.length); }
    }

    function scrollToSelection() {
      const row = document.querySelector("#bead-rows .row.selected");
      if (row) row.scrollIntoView({ block: "nearest" });
      else $("beads").scrollTop = 0;
    }

    function select(pos, { scroll = true } = {}) {
      if (!beads().length) return;
      pos = Math.max(0, Math.min(pos, beads().length - 1));
      if (pos === S.sel && !S.mode && !S.chosen) return;
      const container = $("bead-rows");
      const old = container.querySelector(".row.selected");
      const next = container.querySelector(`.row[data-pos="${pos}"]`);
      const wasPlain = !S.mode;
      S.sel = pos; S.mode = null; S.chosen = null; S.anchor = null;
      if (wasPlain && old && next) {
        // moving the selection touches two rows, not the whole page (j held down on 200 rows stays smooth)
        old.replaceWith(renderRow(beads()[Number(old.dataset.pos)], Number(old.dataset.pos)));
        next.replaceWith(renderRow(beads()[pos], pos));
        syncUrl();
      } else {
        render();
      }
      if (scroll) scrollToSelection();
    }

    function move(delta) {
      if (!beads().length) return;
      const target = S.sel + delta;
      if (target >= beads().length && S.page < pages() - 1) { goPage(S.page + 1, { position: 0 }); return; }
      if (target < 0 && S.page > 0) { goPage(S.page - 1, { position: S.limit - 1 }); return; }
      select(target);
    }

    function goPage(page, prefer = { position: 0 }) {
      S.page = Math.max(0, Math.min(page, pages() - 1));
      enqueue(() => load(prefer));
    }

    /** Runs one server round trip after the previous ones (fast key presses are not lost or interleaved). */
    function enqueue(task) {
      S.queue = S.queue.then(task).catch((err) => setStatus(String(err.message || err), "error"));
      return S.queue;
    }

    function handleError(err) {
      if (err.status === 409) {
        setStatus("This document changed in another tab — reloaded.", "warn");
        return load({ index: selected() ? selected().index : undefined });
      }
      setStatus(err.message, "error");   // an open editor or split chooser stays as it is, with what was typed
      return null;
    }

    /** Sends one edit against the current version, then reloads the page of beads. */
    async function send(path, body, prefer) {
      try {
        const r = await api("POST", path, { version: S.version, ...body });
        S.version = r.version;
        setStatus(r.message || "done", "ok");
        await load(prefer);
        return r;
      } catch (err) {
        await handleError(err);
        return null;
      }
    }

    function op(name, fields = {}, preferFn) {
      return enqueue(async () => {
        const b = selected();
        if (!b) { setStatus("select a bead first (click a row, or j / k)", "error"); return; }
        const prefer = preferFn ? preferFn(b) : { index: b.index, position: S.sel };
        await send(`${base}/edits`, { op: name, bead: b.index, ...fields }, prefer);
      });
    }

    const shift = (side, direction) => op("shift", { side, direction });

    function confirm() {
      op("confirm", {}, (b) => {
        const next = beads()[S.sel + 1];
        return next ? { index: next.index, position: S.sel + 1 } : { index: b.index, position: S.sel };
      });
    }

    const unconfirm = () => op("unconfirm");

    function undoRedo(which) {
      enqueue(() => send(`${base}/${which}`, {}, { index: selected() ? selected().index : undefined, position: S.sel }));
    }

    // --- split chooser ---

    function openSplit() {
      const b = selected();
      if (!b) return;
      const cut = (n) => (n >= 2 ? Math.floor(n / 2) : n);
      S.split = { zh: cut(b.zh.length), en: cut(b.en.length) };
      if (b.zh.length === 1 && b.en.length === 1) S.split = { zh: 1, en: 0 };
      S.mode = "split";
      render();
    }

    function splitChooser(b) {
      const column = (side) => {
        const name = `split-${side}`;
        const box = el("div", { className: `split-side ${side}`, lang: side },
          el("div", { className: "split-title", text: side === "zh" ? "Chinese: cut after…" : "English: cut after…" }));
        const cutLine = (k) => {
          const input = el("input", { type: "radio", name, value: String(k), checked: S.split[side] === k,
                                      on: { change: () => { S.split[side] = k; } } });
          const label = k === 0 ? "before the first sentence (all go to the second part)"
            : k === b[side].length ? "after the last sentence (all stay in the first part)" : `cut here (after sentence ${k})`;
          return el("label", { className: "cut" + (k === 0 || k === b[side].length ? " edge" : "") }, input, " ", label);
        };
        box.append(cutLine(0));
        b[side].forEach((s, i) => {
          box.append(el("div", { className: "split-sentence", text: s.text }));
          if (i + 1 < b[side].length) box.append(cutLine(i + 1));
        });
        if (b[side].length) box.append(cutLine(b[side].length));
        return box;
      };
      return el("div", { className: "split-chooser", attrs: { role: "dialog", "aria-label": "Split the bead" },
                         on: { click: (e) => e.stopPropagation() } },
        el("div", { className: "split-cols" }, column("zh"), column("en")),
        el("div", { className: "dialog-buttons" },
          el("button", { type: "button", className: "primary", id: "split-apply", text: "Split", on: { click: applySplit } }),
          el("button", { type: "button", text: "Cancel", on: { click: closeMode } }),
          el("span", { className: "hint", text: "Enter splits, Esc cancels. The first part keeps the sentences above each cut." })));
    }

    function applySplit() {
      const { zh, en } = S.split;
      op("split", { zh, en });
    }

    function closeMode() {
      S.mode = null;
      render();
    }

    // --- text editor ---

    function openEditor(side) {
      const b = selected();
      if (!b) { setStatus("select a bead first (click a row, or j / k)", "error"); return; }
      let ids;
      if (side === null && S.chosen) { side = S.chosen.side; ids = [...S.chosen.ids].sort((x, y) => x - y); }
      else {
        side = side || "zh";
        ids = b[side].map((s) => s.id);
      }
      if (!ids.length) { setStatus(`bead ${b.index} has no ${side === "zh" ? "Chinese" : "English"} sentence to edit`, "error"); return; }
      S.editor = { side, ids };
      S.mode = "edit";
      render();
    }

    function editor(b) {
      const { side, ids } = S.editor;
      const texts = ids.map((id) => (b[side].find((s) => s.id === id) || { text: "" }).text);
      const original = texts.join("\n");
      const ta = el("textarea", { className: "edit-text", lang: side, value: original, rows: Math.max(2, ids.length + 1),
                                  attrs: { "aria-label": `${side === "zh" ? "Chinese" : "English"} text, one sentence a line` } });
      const save = () => {
        const text = ta.value.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trim()).filter((l) => l).join("\n");
        if (text === original) { closeMode(); return; }
        enqueue(() => send(`${base}/edits`, { op: "edit_text", side, sentences: ids, text }, { index: b.index, position: S.sel }));
      };
      const join = () => {
        const lines = ta.value.split("\n").map((l) => l.trim()).filter((l) => l);
        ta.value = lines.join(side === "zh" ? "" : " ");
        ta.focus();
      };
      ta.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); save(); }
        else if (e.key === "Escape") { e.preventDefault(); closeMode(); }
        e.stopPropagation();
      });
      const all = ids.length === b[side].length;
      const which = all ? `the ${side === "zh" ? "Chinese" : "English"} side` :
        `${ids.length === 1 ? "one" : ids.length} chosen ${side === "zh" ? "Chinese" : "English"} sentence${ids.length === 1 ? "" : "s"}`;
      return el("div", { className: "editor", on: { click: (e) => e.stopPropagation() } },
        el("div", { className: "editor-title",
                    text: `Editing ${which} of bead ${b.index} — one sentence a line: Enter splits, deleting a line break joins` }),
        ta,
        el("div", { className: "dialog-buttons" },
          el("button", { type: "button", className: "primary", id: "edit-save", on: { click: save } }, "Save ", el("kbd", { text: "Ctrl+Enter" })),
          el("button", { type: "button", id: "edit-join", text: "Join lines into one sentence", on: { click: join } }),
          el("button", { type: "button", text: "Cancel", on: { click: closeMode } }, " ", el("kbd", { text: "Esc" }))));
    }

    // --- next to review ---

    const needsReview = (b) => b.status === "auto" && (!b.paired || Number(b.confidence) < S.data.threshold);

    async function nextToReview() {
      const list = beads();
      for (let p = S.sel + 1; p < list.length; p++) if (needsReview(list[p])) { select(p); return; }
      const total = S.data.total, start = (S.page + 1) * S.limit, chunk = 1000;
      const search = async (from, to) => {
        for (let off = from; off < to; off += chunk) {
          const q = new URLSearchParams({ filter: S.filter, order: S.order, offset: String(off), limit: String(Math.min(chunk, to - off)) });
          const d = await api("GET", `${base}?${q}`);
          const k = d.beads.findIndex(needsReview);
          if (k >= 0) return off + k;
        }
        return -1;
      };
      try {
        let at = await search(start, total);
        let wrapped = false;
        if (at < 0) { at = await search(0, S.page * S.limit + Math.max(0, S.sel)); wrapped = at >= 0; }
        if (at < 0) {
          const current = selected();
          if (current && needsReview(current)) setStatus("this is the last bead left to review in this view", "info");
          else setStatus("nothing left to review in this view", "ok");
          return;
        }
        S.page = Math.floor(at / S.limit);
        await load({ position: at - S.page * S.limit });
        if (wrapped) setStatus("continued from the top", "info");
      } catch (err) { handleError(err); }
    }

    // --- confirm above a threshold ---

    let previewed = null;
    async function previewConfirmAbove() {
      const x = Number($("confirm-above-input").value);
      const out = $("confirm-above-result"), apply = $("confirm-above-apply");
      apply.hidden = true;
      previewed = null;
      if (!(x >= 0 && x <= 1)) { out.textContent = "give a confidence between 0 and 1"; return; }
      try {
        const p = await api("GET", `${base}/confirm-preview?threshold=${encodeURIComponent(x)}`);
        const e = Number(p.expected_errors);
        out.textContent = `${plural(p.beads, "unit")}, about ${e < 10 ? e.toFixed(1) : fmt(Math.round(e))} errors predicted`;
        if (p.beads > 0) {
          previewed = x;
          apply.textContent = `Confirm ${plural(p.beads, "unit")}`;
          apply.hidden = false;
        }
      } catch (err) { out.textContent = ""; handleError(err); }
    }

    function applyConfirmAbove() {
      if (previewed === null) return;
      const x = previewed;
      $("confirm-above-apply").hidden = true;
      $("confirm-above-result").textContent = "";
      enqueue(() => send(`${base}/edits`, { op: "confirm_above", threshold: x }, { index: selected() ? selected().index : undefined, position: S.sel }));
    }

    // --- re-align ---

    function realign() {
      $("realign-confirm").hidden = true;
      $("realign-button").hidden = false;
      enqueue(async () => {
        const r = await send(`${base}/edits`, { op: "realign" }, { position: S.sel });
        if (!r || !r.job) return;
        const bar = $("realign-progress");
        bar.hidden = false;
        try {
          const job = await pollJob(r.job, (j) => { setProgress(bar, j.progress); setStatus(j.message || "re-aligning…", "info"); });
          if (job.state === "done") setStatus(job.message || "re-aligned", "ok");
          else setStatus(String(job.message || "re-aligning failed").split("\n")[0], "error");
        } finally {
          bar.hidden = true;
          await load({ position: S.sel });
        }
      });
    }

    // --- side panel ---

    async function concordance(query) {
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

    // --- events ---

    $("bead-rows").addEventListener("click", (e) => {
      const row = e.target.closest(".row");
      if (!row || e.target.closest("button, input, textarea, label, a")) return;
      const pos = Number(row.dataset.pos);
      const sent = e.target.closest(".sent");
      if (pos !== S.sel || !sent) { select(pos, { scroll: false }); return; }
      if (S.mode) return;
      // a sentence of the selected row: choose it (shift-click: a range on the same side) for the editor
      const side = sent.dataset.side, id = Number(sent.dataset.id);
      if (e.shiftKey && S.anchor && S.anchor.side === side) {
        const lo = Math.min(S.anchor.id, id), hi = Math.max(S.anchor.id, id);
        S.chosen = { side, ids: selected()[side].map((s) => s.id).filter((x) => x >= lo && x <= hi) };
      } else if (S.chosen && S.chosen.side === side && S.chosen.ids.length === 1 && S.chosen.ids[0] === id) {
        S.chosen = null; S.anchor = null;
      } else {
        S.chosen = { side, ids: [id] };
        S.anchor = { side, id };
      }
      render();
    });

    $("bead-rows").addEventListener("dblclick", (e) => {
      const sent = e.target.closest(".row.selected .sent");
      if (!sent || S.mode) return;
      S.chosen = { side: sent.dataset.side, ids: [Number(sent.dataset.id)] };
      openEditor(null);
    });

    $("filter-select").addEventListener("change", (e) => {
      S.filter = e.target.value; S.page = 0; e.target.blur();
      enqueue(() => load({ position: 0 }));
    });
    $("order-select").addEventListener("change", (e) => {
      S.order = e.target.value; S.page = 0; e.target.blur();
      enqueue(() => load({ position: 0 }));
    });
    $("page-first").addEventListener("click", () => goPage(0));
    $("page-prev").addEventListener("click", () => goPage(S.page - 1));
    $("page-next").addEventListener("click", () => goPage(S.page + 1));
    $("page-last").addEventListener("click", () => goPage(pages() - 1));
    $("next-review-button").addEventListener("click", () => enqueue(nextToReview));
    $("undo-button").addEventListener("click", () => undoRedo("undo"));
    $("redo-button").addEventListener("click", () => undoRedo("redo"));
    $("export-confirmed-only").addEventListener("change", exportHref);
    $("confirm-above-preview").addEventListener("click", previewConfirmAbove);
    $("confirm-above-input").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); previewConfirmAbove(); } });
    $("confirm-above-input").addEventListener("input", () => { $("confirm-above-apply").hidden = true; previewed = null; $("confirm-above-result").textContent = ""; });
    $("confirm-above-apply").addEventListener("click", applyConfirmAbove);
    $("realign-button").addEventListener("click", () => { $("realign-button").hidden = true; $("realign-confirm").hidden = false; });
    $("realign-cancel").addEventListener("click", () => { $("realign-confirm").hidden = true; $("realign-button").hidden = false; });
    $("realign-go").addEventListener("click", realign);
    $("search-form").addEventListener("submit", (e) => { e.preventDefault(); concordance($("search-input").value); });
    $("fuzzy-form").addEventListener("submit", (e) => { e.preventDefault(); fuzzy(); });
    $("lookup-form").addEventListener("submit", (e) => { e.preventDefault(); lookup($("lookup-input").value); });

    const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

    document.addEventListener("keydown", (e) => {
      if (typing(e.target) || e.altKey || e.metaKey) {
        if (e.key === "Escape" && typing(e.target) && e.target.tagName !== "TEXTAREA") e.target.blur();
        return;
      }
      const key = e.key;
      if (e.ctrlKey) {
        const k = key.toLowerCase();
        if (k === "z" && !e.shiftKey) { e.preventDefault(); undoRedo("undo"); }
        else if ((k === "z" && e.shiftKey) || k === "y") { e.preventDefault(); undoRedo("redo"); }
        return;
      }
      if (S.mode === "split") {
        if (key === "Enter") { e.preventDefault(); applySplit(); return; }
        if (key === "Escape") { e.preventDefault(); closeMode(); return; }
      }
      if (S.mode === "edit" && key === "Escape") { e.preventDefault(); closeMode(); return; }
      const actions = {
        j: () => move(1), ArrowDown: () => move(1),
        k: () => move(-1), ArrowUp: () => move(-1),
        PageDown: () => goPage(S.page + 1), PageUp: () => goPage(S.page - 1),
        Home: () => select(0), End: () => select(beads().length - 1),
        n: () => enqueue(nextToReview),
        c: confirm, C: unconfirm,
        m: () => op("merge"), s: openSplit, u: () => op("unpair"), p: () => op("pair"),
        "[": () => shift("zh", "up"), "]": () => shift("zh", "down"),
        "{": () => shift("en", "up"), "}": () => shift("en", "down"),
        e: () => openEditor(null), E: () => openEditor("en"),
        f: fuzzy,
        Escape: () => { if (S.chosen) { S.chosen = null; render(); } },
        "/": () => {
          const picked = String(window.getSelection() || "").trim();
          const input = $("search-input");
          if (picked && picked.length < 200) { input.value = picked; concordance(picked); }
          input.focus();
          input.select();
        },
      };
      const action = actions[key];
      if (!action) return;
      e.preventDefault();
      action();
    });

    load(wanted ? { index: wanted.index, position: 0 } : { position: 0 });
  }

  // ---------- routing ----------

  const match = /^\/documents\/([^/]+)\/?$/.exec(location.pathname);
  if (match) documentPage(decodeURIComponent(match[1]));
  else documentsPage();
})();
