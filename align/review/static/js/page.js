// One document (/documents/{stem}): the page state, loading, selection, and sending edits.
// The other modules add their functions to the shared context P; a call to another module's
// function goes through P, so every module can be read on its own.

import { $, el } from "./dom.js";
import { api } from "./api.js";
import { crumbs, setStatus } from "./status.js";

import { install as installEdit } from "./edit.js";
import { install as installKeys } from "./keys.js";
import { install as installMap } from "./map.js";
import { install as installPanels } from "./panels.js";
import { install as installTable } from "./table.js";
import { install as installToolbar } from "./toolbar.js";

const PAGE_SIZE = 200;        // rows a page: a 5,000-bead document is never rendered whole

/** Adds this module's functions to P. */
function install(P) {
  const { S, base } = P;
  const beads = (...args) => P.beads(...args);
  const pages = (...args) => P.pages(...args);
  const render = (...args) => P.render(...args);
  const renderRow = (...args) => P.renderRow(...args);
  const selected = (...args) => P.selected(...args);

  function syncUrl() {
    const q = new URLSearchParams();
    if (S.filter !== "all") q.set("filter", S.filter);
    if (S.order !== "position") q.set("order", S.order);
    if (S.q) q.set("q", S.q);
    if (S.page) q.set("page", String(S.page + 1));
    if (S.limit !== PAGE_SIZE) q.set("limit", String(S.limit));
    const b = selected();
    const url = `${location.pathname}${q.toString() ? "?" + q : ""}${b ? "#b" + b.index : ""}`;
    history.replaceState(null, "", url);
  }

  /** Reloads the current page of beads; `prefer` keeps the selection on a bead index or a row position. */
  async function load(prefer = {}) {
    const q = new URLSearchParams({ filter: S.filter, order: S.order, offset: String(S.page * S.limit), limit: String(S.limit) });
    if (S.q) q.set("q", S.q);
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
    P.drawMap();
    if (prefer.scroll !== false) scrollToSelection();
  }

  function showMissing(message) {
    setStatus(message, "error");
    $("bead-rows").replaceChildren();
    $("beads-empty").hidden = false;
    $("beads-empty").replaceChildren(message, " ", el("a", { href: "/", text: "Back to the documents" }));
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
    P.drawMap();
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

  /** An error from the server on the status line. A 409 (another tab changed the document) reloads it;
   * `onConflict` then runs on the reloaded page (the editor uses it to keep what was typed). */
  async function handleError(err, onConflict) {
    if (err.status === 409) {
      setStatus(onConflict ? "Not saved: this document changed in another tab. Your text is kept; compare it with " +
                             "the other version and save again to apply yours on top."
                           : "Not done: this document changed in another tab — reloaded; make the change again.", "warn");
      await load({ index: selected() ? selected().index : undefined });
      if (onConflict) onConflict();
      return null;
    }
    setStatus(err.message, "error");   // an open editor or split chooser stays as it is, with what was typed
    return null;
  }

  /** Sends one edit against the current version, then reloads the page of beads. `onError` (if any)
   * sees a refusal first and returns true when it has dealt with it. */
  async function send(path, body, prefer, { onConflict, onError } = {}) {
    try {
      const r = await api("POST", path, { version: S.version, ...body });
      S.version = r.version;
      setStatus(r.message || "done", "ok");
      await load(prefer);
      return r;
    } catch (err) {
      if (!(onError && onError(err))) await handleError(err, onConflict);
      return null;
    }
  }

  function op(name, fields = {}, preferFn, handlers = {}) {
    return enqueue(async () => {
      const b = selected();
      if (!b) { setStatus("select a bead first (click a row, or j / k)", "error"); return; }
      const prefer = preferFn ? preferFn(b) : { index: b.index, position: S.sel };
      await send(`${base}/edits`, { op: name, bead: b.index, ...fields }, prefer, handlers);
    });
  }


  Object.assign(P, { syncUrl, load, showMissing, scrollToSelection, select, move, goPage, enqueue, handleError, send, op });
}

/** Shows one stored alignment; `stem` names it. */
export function documentPage(stem) {
  $("document-view").hidden = false;
  document.body.classList.add("doc-mode");
  document.title = `${stem} · align review`;
  crumbs({ text: "Documents", href: "/" }, { text: stem });
  const base = `/api/documents/${encodeURIComponent(stem)}`;
  const params = new URLSearchParams(location.search);
  const S = {
    filter: params.get("filter") || "all",
    order: params.get("order") || "position",
    q: params.get("q") || "",   // find in this document: only beads whose text contains it
    limit: Math.min(1000, Math.max(5, parseInt(params.get("limit"), 10) || PAGE_SIZE)),
    page: Math.max(0, (parseInt(params.get("page"), 10) || 1) - 1),
    data: null,            // the last GET of the document
    notKeptHidden: null,   // the "not kept" list the reader hid (shown again when a run says something else)
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
  const wanted = hashBead ? { index: Number(hashBead[1]) } : null;
  if (wanted && S.filter === "all" && S.order === "position" && !params.get("page")) S.page = Math.floor(wanted.index / S.limit);

  const P = { stem, base, S };
  P.beads = () => (S.data ? S.data.beads : []);
  P.selected = () => P.beads()[S.sel] || null;
  P.pages = () => Math.max(1, Math.ceil((S.data ? S.data.total : 0) / S.limit));
  for (const add of [install, installTable, installToolbar, installEdit, installPanels, installMap, installKeys]) add(P);
  P.load(wanted ? { index: wanted.index, position: 0 } : { position: 0 });
}
