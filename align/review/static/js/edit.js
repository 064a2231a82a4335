// Operations on the selected bead: shift, confirm, the split chooser and the text editor.

import { el } from "./dom.js";
import { setStatus } from "./status.js";

/** Adds this module's functions to the document page's context P. */
export function install(P) {
  const { S, base } = P;
  const beads = (...args) => P.beads(...args);
  const enqueue = (...args) => P.enqueue(...args);
  const op = (...args) => P.op(...args);
  const render = (...args) => P.render(...args);
  const select = (...args) => P.select(...args);
  const selected = (...args) => P.selected(...args);
  const send = (...args) => P.send(...args);

  /** Moves a sentence to the neighbouring bead; a move into another speaker's turn asks first. */
  function shift(side, direction, acrossTurn = false) {
    const b = selected();
    op("shift", { side, direction, ...(acrossTurn ? { across_turn: true } : {}) }, null, {
      onError: (err) => {
        if (err.status !== 400 || !/crosses a speaker turn/.test(err.message) || !b) return false;
        S.mode = "turn";
        S.turnMove = { side, direction, bead: b.index };
        render();
        setStatus("That sentence would move into another speaker's turn: confirm or cancel below.", "warn");
        return true;
      },
    });
  }

  function turnQuestion(b) {
    const { side, direction } = S.turnMove;
    const go = () => { S.mode = null; shift(side, direction, true); };
    return el("div", { className: "turn-ask", attrs: { role: "alertdialog", "aria-label": "Move across a speaker turn?" },
                       on: { click: (e) => e.stopPropagation() } },
      el("div", { text: `The ${direction === "up" ? "first" : "last"} ${side === "zh" ? "Chinese" : "English"} sentence of bead ` +
                        `${b.index} would move into bead ${direction === "up" ? b.index - 1 : b.index + 1}, which belongs to ` +
                        "another speaker's turn. Move it anyway?" }),
      el("div", { className: "dialog-buttons" },
        el("button", { type: "button", className: "primary", id: "turn-move", text: "Move across the turn", on: { click: go } }),
        el("button", { type: "button", id: "turn-cancel", text: "Cancel", on: { click: closeMode } })));
  }

  /** Pairs the unpaired beads first..last as one unit. */
  function pairBlock(first, last) {
    enqueue(() => send(`${base}/edits`, { op: "pair", bead: first, through: last }, { index: first, position: S.sel }));
  }

  // --- notes ---

  function openNote() {
    if (!selected()) { setStatus("select a bead first (click a row, or j / k)", "error"); return; }
    S.mode = "note";
    render();
  }

  function noteEditor(b) {
    const ta = el("textarea", { className: "edit-text note-text", value: b.note || "", rows: 2,
                                attrs: { "aria-label": `Note on bead ${b.index}` } });
    const save = () => {
      const text = ta.value.trim();
      if (text === (b.note || "")) { closeMode(); return; }
      enqueue(() => send(`${base}/edits`, { op: "note", bead: b.index, text }, { index: b.index, position: S.sel }));
    };
    ta.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); save(); }
      else if (e.key === "Escape") { e.preventDefault(); closeMode(); }
      e.stopPropagation();
    });
    return el("div", { className: "editor", on: { click: (e) => e.stopPropagation() } },
      el("div", { className: "editor-title", text: `Note on bead ${b.index} — kept across runs and exported as a TMX <note>` }),
      ta,
      el("div", { className: "dialog-buttons" },
        el("button", { type: "button", className: "primary", id: "note-save", on: { click: save } }, "Save note ", el("kbd", { text: "Ctrl+Enter" })),
        el("button", { type: "button", text: "Cancel", on: { click: closeMode } }, " ", el("kbd", { text: "Esc" }))));
  }

  function confirm() {
    op("confirm", {}, (b) => {
      const next = beads()[S.sel + 1];
      return next ? { index: next.index, position: S.sel + 1 } : { index: b.index, position: S.sel };
    });
  }

  const unconfirm = () => op("unconfirm");

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

  /** After a 409 the page shows the other tab's version; this reopens the editor on the same sentences
   * with what was typed, the other version beside it, ready to be saved on top. */
  function reopenAfterConflict(side, ids, typed) {
    const pos = beads().findIndex((x) => x[side].some((s) => s.id === ids[0]));
    if (pos < 0) { setStatus("Not saved: another tab changed this document and those sentences are no longer on this " +
                             `page. Your text: ${typed}`, "error"); return; }
    const b = beads()[pos];
    const present = ids.every((id) => b[side].some((s) => s.id === id));
    const now = present ? ids : b[side].map((s) => s.id);
    S.sel = pos;
    S.editor = { side, ids: now, typed, theirs: now.map((id) => b[side].find((s) => s.id === id).text).join("\n") };
    S.mode = "edit";
    render();
  }

  function editor(b) {
    const { side, ids, typed, theirs } = S.editor;
    const texts = ids.map((id) => (b[side].find((s) => s.id === id) || { text: "" }).text);
    const original = texts.join("\n");
    const ta = el("textarea", { className: "edit-text", lang: side, value: typed ?? original, rows: Math.max(2, ids.length + 1),
                                attrs: { "aria-label": `${side === "zh" ? "Chinese" : "English"} text, one sentence a line` } });
    const save = () => {
      const text = ta.value.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trim()).filter((l) => l).join("\n");
      if (text === original) { closeMode(); return; }
      const typedNow = ta.value;
      enqueue(() => send(`${base}/edits`, { op: "edit_text", side, sentences: ids, text }, { index: b.index, position: S.sel },
                         { onConflict: () => reopenAfterConflict(side, ids, typedNow) }));
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
      theirs !== undefined ? el("div", { className: "conflict", id: "edit-conflict" },
        el("div", { text: "Your text was not saved: another tab changed this document. The version there now:" }),
        el("div", { className: "theirs", lang: side, text: theirs }),
        el("div", { text: "Your text is in the box below; Save applies it on top of that version." })) : null,
      ta,
      el("div", { className: "dialog-buttons" },
        el("button", { type: "button", className: "primary", id: "edit-save", on: { click: save } }, "Save ", el("kbd", { text: "Ctrl+Enter" })),
        el("button", { type: "button", id: "edit-join", text: "Join lines into one sentence", on: { click: join } }),
        el("button", { type: "button", text: "Cancel", on: { click: closeMode } }, " ", el("kbd", { text: "Esc" }))));
  }

  Object.assign(P, { shift, turnQuestion, pairBlock, openNote, noteEditor, confirm, unconfirm, openSplit, splitChooser, applySplit,
                     closeMode, openEditor, editor });
}
