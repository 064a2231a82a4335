// The document's head and tool bar: counts, legend, the downloads (TMX, XLIFF, the review sheet) and
// the reviewed sheet's upload, undo/redo, next to review, confirm above a threshold, re-align.

import { AMBER_BELOW, $, conf2, el, fmt, plural } from "./dom.js";
import { api, pollJob } from "./api.js";
import { setProgress, setStatus } from "./status.js";

/** Adds this module's functions to the document page's context P. */
export function install(P) {
  const { S, base, stem } = P;
  const beads = (...args) => P.beads(...args);
  const confirm = (...args) => P.confirm(...args);
  const enqueue = (...args) => P.enqueue(...args);
  const handleError = (...args) => P.handleError(...args);
  const load = (...args) => P.load(...args);
  const op = (...args) => P.op(...args);
  const pages = (...args) => P.pages(...args);
  const select = (...args) => P.select(...args);
  const selected = (...args) => P.selected(...args);
  const send = (...args) => P.send(...args);

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
      s.changed ? el("span", { className: "count warn", text: `${fmt(s.changed)} changed by an edit, not reviewed` }) : "",
      el("span", { className: "count reviewed" },
        el("span", { className: "meter", attrs: { role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
                                               "aria-valuenow": String(Math.round(share * 100)), "aria-label": "reviewed" } }, fill),
        ` ${Math.round(share * 100)}% reviewed`),
      el("span", { className: "count aligner", text: s.aligner ? `aligned by ${s.aligner}` : "" }));
    renderLegend();
    renderNotKept();
    $("undo-button").disabled = !d.can_undo;
    $("redo-button").disabled = !d.can_redo;
    exportHref();
    const first = d.total ? d.offset + 1 : 0, last = d.offset + d.beads.length;
    $("page-info").textContent = `${fmt(first)}–${fmt(last)} of ${fmt(d.total)}${S.q ? ` containing “${S.q}”` : ""}` +
                                 ` · page ${S.page + 1} of ${pages()}`;
    $("page-first").disabled = $("page-prev").disabled = S.page === 0;
    $("page-next").disabled = $("page-last").disabled = S.page >= pages() - 1;
  }

  /** What the last run could not keep of the reviewer's work, and why (empty: nothing to say). */
  function renderNotKept() {
    const lost = S.data.not_kept || [];
    const box = $("not-kept");
    const said = lost.join("\n");
    box.hidden = lost.length === 0 || S.notKeptHidden === said;
    const close = el("button", { type: "button", className: "dismiss", text: "×", title: "Hide this until the next run",
                                 attrs: { "aria-label": "Hide this message" },
                                 on: { click: () => { S.notKeptHidden = said; box.hidden = true; } } });
    box.replaceChildren(
      close,
      el("strong", { text: `The last run could not keep ${plural(lost.length, "piece")} of the review work:` }),
      el("ul", {}, ...lost.map((line) => el("li", { text: line }))));
  }

  function renderLegend() {
    const t = conf2(S.data.threshold), a = conf2(AMBER_BELOW);
    $("legend").replaceChildren(...[
      ["conf-low", `< ${t}`], ["conf-mid", `${t}–${a}`], ["conf-high", `≥ ${a}`],
      ["status-confirmed", "confirmed"], ["status-edited", "edited"], ["status-changed", "changed"],
    ].map(([cls, label]) => el("span", { className: `key ${cls}` }, el("span", { className: "swatch" }), label)));
  }

  function exportHref() {
    const only = $("export-confirmed-only").checked;
    $("export-link").href = `${base}/tmx?confirmed_only=${only}`;
    $("export-link").setAttribute("download", `${stem}.tmx`);
    $("xliff-link").href = `${base}/xliff`;
    $("xliff-link").setAttribute("download", `${stem}.xlf`);
    $("xlsx-link").href = `${base}/xlsx`;
    $("xlsx-link").setAttribute("download", `${stem}.xlsx`);
  }

  /** Applies a reviewed sheet (all its changes as one undoable step, or none of them) and says what it did. */
  function importSheet(file) {
    const box = $("sheet-result");
    enqueue(async () => {
      const form = new FormData();
      form.append("sheet", file);
      box.hidden = false;
      box.className = "sheet-result";
      box.textContent = `applying ${file.name}…`;
      try {
        const r = await api("POST", `${base}/xlsx`, form);
        const notes = r.notes_not_kept ? ` (${plural(r.notes_not_kept, "changed note")} not applied: this memory keeps no notes)` : "";
        box.replaceChildren(
          el("strong", { text: r.edits.length ? `${file.name}: ${plural(r.edits.length, "change")} applied${notes}:`
                                              : `${file.name}: nothing to change${notes}` }),
          r.edits.length ? el("ul", {}, ...r.edits.map((line) => el("li", { text: line }))) : "");
        setStatus(`${plural(r.edits.length, "change")} applied from ${file.name}`, "ok");
      } catch (err) {
        box.className = "sheet-result failed";
        box.textContent = `${file.name}: ${err.message}`;
      }
      await load({ position: S.sel });
    });
  }

  function undoRedo(which) {
    enqueue(() => send(`${base}/${which}`, {}, { index: selected() ? selected().index : undefined, position: S.sel }));
  }

  // --- next to review ---

  // A unit needs a look while no person has judged it and the aligner doubts it, a neighbour's edit changed
  // it, or its two sides state different numbers.
  const needsReview = (b) => (b.status === "auto" || b.status === "changed") &&
    (!b.paired || b.status === "changed" || Boolean(b.numbers) || Number(b.confidence) < S.data.threshold);

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

  function resetConfirmAbove() {
    $("confirm-above-apply").hidden = true;
    previewed = null;
    $("confirm-above-result").textContent = "";
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

  Object.assign(P, { renderHead, renderNotKept, renderLegend, exportHref, importSheet, undoRedo, needsReview, nextToReview, previewConfirmAbove, resetConfirmAbove, applyConfirmAbove, realign });
}
