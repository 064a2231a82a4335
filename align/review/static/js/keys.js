// Mouse and keyboard: clicks on rows and sentences, the controls, and the shortcuts.

import { $ } from "./dom.js";

/** Adds this module's functions to the document page's context P. */
export function install(P) {
  const { S } = P;
  const applyConfirmAbove = (...args) => P.applyConfirmAbove(...args);
  const applySplit = (...args) => P.applySplit(...args);
  const beads = (...args) => P.beads(...args);
  const closeMode = (...args) => P.closeMode(...args);
  const concordance = (...args) => P.concordance(...args);
  const confirm = (...args) => P.confirm(...args);
  const enqueue = (...args) => P.enqueue(...args);
  const exportHref = (...args) => P.exportHref(...args);
  const fuzzy = (...args) => P.fuzzy(...args);
  const goPage = (...args) => P.goPage(...args);
  const importSheet = (...args) => P.importSheet(...args);
  const load = (...args) => P.load(...args);
  const lookup = (...args) => P.lookup(...args);
  const move = (...args) => P.move(...args);
  const nextToReview = (...args) => P.nextToReview(...args);
  const op = (...args) => P.op(...args);
  const openEditor = (...args) => P.openEditor(...args);
  const openSplit = (...args) => P.openSplit(...args);
  const pages = (...args) => P.pages(...args);
  const previewConfirmAbove = (...args) => P.previewConfirmAbove(...args);
  const resetConfirmAbove = (...args) => P.resetConfirmAbove(...args);
  const realign = (...args) => P.realign(...args);
  const render = (...args) => P.render(...args);
  const select = (...args) => P.select(...args);
  const selected = (...args) => P.selected(...args);
  const shift = (...args) => P.shift(...args);
  const unconfirm = (...args) => P.unconfirm(...args);
  const undoRedo = (...args) => P.undoRedo(...args);

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
  $("sheet-input").addEventListener("change", (e) => {
    const file = e.target.files[0];
    e.target.value = "";          // the same file can be chosen again after it is fixed
    if (file) importSheet(file);
  });
  $("confirm-above-preview").addEventListener("click", previewConfirmAbove);
  $("confirm-above-input").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); previewConfirmAbove(); } });
  $("confirm-above-input").addEventListener("input", resetConfirmAbove);
  $("confirm-above-apply").addEventListener("click", applyConfirmAbove);
  $("realign-button").addEventListener("click", () => { $("realign-button").hidden = true; $("realign-confirm").hidden = false; });
  $("realign-cancel").addEventListener("click", () => { $("realign-confirm").hidden = true; $("realign-button").hidden = false; });
  $("realign-go").addEventListener("click", realign);
  for (const tab of document.querySelectorAll(".side-tabs [role=tab]")) {
    tab.addEventListener("click", () => P.showTab(tab.id.replace("tab-", "")));
  }
  $("find-form").addEventListener("submit", (e) => {
    e.preventDefault();
    S.q = $("find-input").value.trim();
    S.page = 0;
    $("find-input").blur();
    enqueue(() => load({ position: 0 }));
  });
  $("find-input").value = S.q;
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
    if ((S.mode === "edit" || S.mode === "note" || S.mode === "turn") && key === "Escape") { e.preventDefault(); closeMode(); return; }
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
      t: () => P.openNote(),
      F: () => { $("find-input").focus(); $("find-input").select(); },
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

}
