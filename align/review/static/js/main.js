// The review page: plain JavaScript modules talking JSON to /api (contract: docs/review.md), no build step.
// One index.html serves both pages; this module routes by location.pathname:
//   /                  the stored alignments, with an import box (documents.js)
//   /documents/{stem}  one alignment, bead by bead, with the operations and the side panels (page.js and
//                      the modules it installs: table, toolbar, edit, panels, keys)
// Text from the server is always put in the page with textContent / createTextNode, never as markup.

import { documentPage } from "./page.js";
import { documentsPage } from "./documents.js";

const match = /^\/documents\/([^/]+)\/?$/.exec(location.pathname);
if (match) documentPage(decodeURIComponent(match[1]));
else documentsPage();
