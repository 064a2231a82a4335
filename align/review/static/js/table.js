// The bead rows: one row per bead, Chinese left and English right, with the selected row's actions.

import { AMBER_BELOW, $, conf2, el, fmt, formatTime, highlight } from "./dom.js";

/** Adds this module's functions to the document page's context P. */
export function install(P) {
  const { S } = P;
  const beads = (...args) => P.beads(...args);
  const confirm = (...args) => P.confirm(...args);
  const editor = (...args) => P.editor(...args);
  const op = (...args) => P.op(...args);
  const openEditor = (...args) => P.openEditor(...args);
  const openSplit = (...args) => P.openSplit(...args);
  const renderHead = (...args) => P.renderHead(...args);
  const selected = (...args) => P.selected(...args);
  const shift = (...args) => P.shift(...args);
  const splitChooser = (...args) => P.splitChooser(...args);
  const syncUrl = (...args) => P.syncUrl(...args);
  const unconfirm = (...args) => P.unconfirm(...args);
  const noteEditor = (...args) => P.noteEditor(...args);
  const openNote = (...args) => P.openNote(...args);
  const pairBlock = (...args) => P.pairBlock(...args);
  const turnQuestion = (...args) => P.turnQuestion(...args);

  function rowClass(b) {
    const parts = ["row", `status-${b.status}`];
    if (!b.paired) parts.push("unpaired");
    const c = Number(b.unit_confidence);
    parts.push(c < S.data.threshold ? "conf-low" : c < AMBER_BELOW ? "conf-mid" : "conf-high");
    return parts.join(" ");
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
      const from = s.edited_from ? ` — edited; the file has “${s.edited_from.join(" ")}”` : "";
      return el("span", {
        className: "sent" + (chosen ? " chosen" : "") + (s.edited_from ? " edited-text" : ""),
        dataset: { side, id: String(s.id) },
        title: `${side === "zh" ? "Chinese" : "English"} sentence ${s.id}, line ${s.line ?? "?"}${from}` +
               (pos === S.sel ? " — click to choose it for editing, shift-click for a range, double-click to edit" : ""),
      }, S.q ? highlight(s.text, S.q) : s.text);
    });
  }

  function renderRow(b, pos) {
    const isSel = pos === S.sel;
    const badge = { confirmed: "✓ confirmed", edited: "✎ edited", changed: "⟳ changed" }[b.status] || "";
    const badgeTitle = b.status === "changed" ? "changed by an edit of a neighbour; not reviewed"
      : b.changed ? `changed ${formatTime(b.changed)}` : "";
    const human = b.status === "confirmed" || b.status === "edited";
    const row = el("div", {
      className: rowClass(b) + (isSel ? " selected" : ""),
      id: `bead-${b.index}`,
      dataset: { pos: String(pos), index: String(b.index) },
      attrs: { role: "option", "aria-selected": String(isSel) },
    },
      el("div", { className: "meta" },
        el("span", { className: "idx", text: fmt(b.index), title: "bead number" }),
        el("span", { className: "conf", text: conf2(b.unit_confidence),
                     title: human ? "reviewed: the unit's confidence in the TMX" : "the aligner's confidence" }),
        b.kind !== "1-1" ? el("span", { className: "kind", text: b.kind, title: "Chinese–English sentences" }) : null,
        badge ? el("span", { className: "badge", text: badge, title: badgeTitle }) : null,
        human && b.paired ? el("span", { className: "second", text: `aligner ${conf2(b.confidence)}`,
                                         title: `you paired these; the aligner gives ${conf2(b.confidence)}` }) : null,
        b.note ? el("span", { className: "badge note-badge", text: "✍ note", title: b.note }) : null,
        b.numbers ? el("span", { className: "badge numbers-badge", text: "≠ numbers",
                                 title: `the two sides state different numbers: ${b.numbers}` }) : null),
      el("div", { className: "cell zh", lang: "zh" },
        inlineSpeaker(b, "zh"), sentenceNodes(b, "zh", pos)),
      el("div", { className: "cell en", lang: "en" },
        inlineSpeaker(b, "en"), sentenceNodes(b, "en", pos)),
      b.note && !(isSel && S.mode === "note") ? el("div", { className: "note", text: b.note }) : null);
    if (isSel) {
      if (S.mode === "split") row.append(splitChooser(b));
      else if (S.mode === "edit") row.append(editor(b));
      else if (S.mode === "note") row.append(noteEditor(b));
      else if (S.mode === "turn") row.append(turnQuestion(b));
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
      actionButton("Edit English", "E", "Edit the English side", () => openEditor("en")),
      actionButton("Note…", "t", "Write a note on this unit (exported as a TMX note)", openNote));
  }

  const SIDE = { zh: "Chinese", en: "English" };

  /** One line for a run of unpaired sentences of one side: it is one thing to review, and can be paired
   * as a block with the neighbouring run of the other side. */
  function runLine(run) {
    const other = run.side === "zh" ? "English" : "Chinese";
    const where = run.first_line === run.last_line ? `line ${run.first_line}` : `lines ${run.first_line}–${run.last_line}`;
    const text = run.sentences === 1 ? `${SIDE[run.side]} ${where} has no ${other} counterpart`
      : run.first_line === run.last_line ? `${fmt(run.sentences)} ${SIDE[run.side]} sentences on ${where} have no ${other} counterpart`
      : `${SIDE[run.side]} ${where} have no ${other} counterpart (${fmt(run.sentences)} sentences)`;
    const partner = run.pair_with;
    return el("div", { className: "run", dataset: { firstBead: String(run.first_bead) }, attrs: { role: "presentation" } },
      el("span", { text }),
      partner ? el("button", {
        type: "button", className: "pair-block",
        text: `Pair as one unit with the ${SIDE[partner.side]} ${partner.first_bead > run.first_bead ? "below" : "above"}`,
        on: { click: (e) => { e.stopPropagation(); pairBlock(Math.min(run.first_bead, partner.first_bead),
                                                             Math.max(run.last_bead, partner.last_bead)); } },
      }) : null);
  }

  function render() {
    renderHead();
    const rows = $("bead-rows");
    const list = beads();
    const nodes = [];
    list.forEach((b, pos) => {
      const named = speakerOf(b.zh) || speakerOf(b.en);
      if (S.order === "position" && named && (b.turn_break || pos === 0)) nodes.push(turnLine(b, !b.turn_break));
      if (b.run && S.order === "position" && !S.q) nodes.push(runLine(b.run));
      nodes.push(renderRow(b, pos));
    });
    rows.replaceChildren(...nodes);
    $("beads-empty").hidden = list.length > 0;
    $("beads-empty").textContent = S.q ? `No bead contains “${S.q}”${S.filter === "all" ? "" : " under this filter"}.`
                                       : "No bead matches this filter.";
    syncUrl();
    const ta = rows.querySelector(".row.selected textarea");
    if (ta) { ta.focus(); ta.setSelectionRange(ta.value.length, ta.value.length); }
  }

  Object.assign(P, { rowClass, speakerOf, turnLine, sentenceNodes, renderRow, inlineSpeaker, actionButton, rowActions, runLine, render });
}
