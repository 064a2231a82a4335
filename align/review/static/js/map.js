// The overview map: the whole document as two columns of sentence ticks (Chinese left, English right)
// and each bead as a band between them, coloured like its row; unpaired sentences are red ticks that
// reach into the middle, so a gap, a run of doubtful units or a skewed stretch shows at a glance. The
// current page is marked beside the columns. A click jumps to the bead under the pointer. It is one
// canvas drawn from a few numbers per bead (GET …/map), so a 500-sentence document costs nothing.

import { $, AMBER_BELOW } from "./dom.js";
import { api } from "./api.js";

const PAD = 6;          // px above the first and below the last sentence
const COLUMN = 12;      // px from each edge to its column of ticks
const COLOURS = {
  low: "#c0392b", mid: "#d69e2e", high: "#8cc7a1", confirmed: "#2f5d8a", edited: "#7251a8", changed: "#e08a1e",
};

/** Adds this module's functions to the document page's context P. */
export function install(P) {
  const { S, base } = P;
  const canvas = $("map-canvas");
  let map = null;

  function colour(confidence, status) {
    if (COLOURS[status]) return COLOURS[status];
    return confidence < S.data.threshold ? COLOURS.low : confidence < AMBER_BELOW ? COLOURS.mid : COLOURS.high;
  }

  /** Where sentence i of a side with n sentences sits. */
  const y = (i, n, height) => PAD + ((i + 0.5) * (height - 2 * PAD)) / Math.max(1, n);

  function layout() {
    const width = canvas.parentElement.clientWidth, height = canvas.parentElement.clientHeight;
    return { width, height, zx: COLUMN, ex: width - COLUMN };
  }

  function paint() {
    if (!map || !S.data) return;
    const { width, height, zx, ex } = layout();
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const nz = map.zh_sentences, ne = map.en_sentences;
    const yz = (i) => y(i, nz, height), ye = (j) => y(j, ne, height);
    // the beads of the page on screen, as a bar beside each column
    // (the map and the page are two requests: right after an edit they may be of two versions for a moment)
    const first = S.data.beads.length ? map.beads[S.data.beads[0].index] : undefined;
    const last = S.data.beads.length ? map.beads[S.data.beads[S.data.beads.length - 1].index] : undefined;
    if (S.filter === "all" && S.order === "position" && !S.q && first && last) {
      const top = Math.min(first[0] ?? Infinity, first[2] !== null ? (first[2] * nz) / Math.max(1, ne) : Infinity);
      const bottom = Math.max(last[0] !== null ? last[0] + last[1] - 1 : -Infinity,
                              last[2] !== null ? ((last[2] + last[3] - 1) * nz) / Math.max(1, ne) : -Infinity);
      if (Number.isFinite(top) && Number.isFinite(bottom)) {
        g.fillStyle = "rgba(47, 93, 138, 0.10)";
        g.fillRect(0, yz(top) - 3, width, yz(bottom) - yz(top) + 6);
      }
    }
    // sentence ticks
    g.fillStyle = "#b5bdc8";
    for (let i = 0; i < nz; i++) g.fillRect(zx - 5, yz(i), 5, 1);
    for (let j = 0; j < ne; j++) g.fillRect(ex, ye(j), 5, 1);
    // beads
    for (const [z, zn, e, en, confidence, status] of map.beads) {
      if (zn && en) {
        g.fillStyle = colour(confidence, status);
        g.globalAlpha = 0.55;
        g.beginPath();
        g.moveTo(zx, yz(z) - 0.5);
        g.lineTo(ex, ye(e) - 0.5);
        g.lineTo(ex, ye(e + en - 1) + 1.5);
        g.lineTo(zx, yz(z + zn - 1) + 1.5);
        g.closePath();
        g.fill();
        g.globalAlpha = 1;
      } else {
        g.fillStyle = COLOURS.low;   // a sentence with no counterpart: a red tick towards the other column
        const reach = (ex - zx) * 0.35;
        if (zn) for (let i = z; i < z + zn; i++) g.fillRect(zx, yz(i) - 1, reach, 3);
        else for (let j = e; j < e + en; j++) g.fillRect(ex - reach, ye(j) - 1, reach, 3);
      }
    }
    // the selected bead
    const chosen = P.selected();
    if (chosen) {
      const [z, zn, e, en] = map.beads[chosen.index] || [];
      g.strokeStyle = "#1f2328";
      g.lineWidth = 1.5;
      if (zn) g.strokeRect(zx - 8, yz(z) - 3, 8, yz(z + zn - 1) - yz(z) + 6);
      if (en) g.strokeRect(ex, ye(e) - 3, 8, ye(e + en - 1) - ye(e) + 6);
    }
  }

  /** Fetches the map again when the document has changed since, then paints it. */
  async function drawMap() {
    if (!S.data) return;
    if (!map || map.version !== S.data.version) {
      try { map = await api("GET", `${base}/map`); } catch (err) { return; }
    }
    paint();
  }

  /** The bead whose sentences lie nearest to a point of the map. */
  function beadAt(px, py) {
    const { width, height } = layout();
    const side = px < width / 2 ? 0 : 2;
    const n = side === 0 ? map.zh_sentences : map.en_sentences;
    let best = null, distance = Infinity;
    map.beads.forEach((b, index) => {
      let start = b[side], size = b[side + 1];
      if (start === null) { start = b[2 - side]; size = b[3 - side]; }   // unpaired on the other side
      const other = side === 0 ? map.en_sentences : map.zh_sentences;
      const middle = b[side] === null ? y(start + (size - 1) / 2, other, height) : y(start + (size - 1) / 2, n, height);
      const d = Math.abs(middle - py);
      if (d < distance) { distance = d; best = index; }
    });
    return best;
  }

  /** Shows bead `index` in its page of all beads in position order, selected. */
  function jumpTo(index) {
    if (S.filter !== "all" || S.order !== "position" || S.q) {
      S.filter = "all"; S.order = "position"; S.q = "";
      $("filter-select").value = "all";
      $("order-select").value = "position";
      $("find-input").value = "";
    }
    S.page = Math.floor(index / S.limit);
    P.enqueue(() => P.load({ index }));
  }

  canvas.addEventListener("click", (e) => {
    if (!map) return;
    const box = canvas.getBoundingClientRect();
    const index = beadAt(e.clientX - box.left, e.clientY - box.top);
    if (index !== null) jumpTo(index);
  });
  window.addEventListener("resize", paint);

  Object.assign(P, { drawMap, jumpTo });
}
