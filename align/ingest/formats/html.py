"""Saved web pages: the transcript's text without the page's furniture, by rules over lxml's tree.

Chosen over trafilatura and jusText on ministry-style pages (`python -m align bench formats`
compares the three; docs/formats.md has the figures): both extractors lost transcript paragraphs or
speaker labels, these rules lost none and kept no furniture.

1. Decode by the page's own charset: a BOM, else `<meta charset>` (or the XML declaration), else
   detection as for text files.
2. Drop what is never text (scripts, styles, forms, frames) and the furniture elements: `nav`,
   `header`, `footer`, `aside`, and any element whose class or id has a furniture word (menu,
   breadcrumb, share, print, copyright, pagination …).
3. The transcript is the element whose paragraphs hold the most text that is not link text (each
   paragraph counts fully for its parent, half for its grandparent; a cell or div whose own lines,
   set with `<br>`, hold most of that is taken instead of its parent); the title is the article's `<h1>`
   (or its element of class "title", or `<h2>`), never the site's logo.
4. Its blocks become paragraphs (blank line between them), a `<br>` a line break. Lines that are only
   a date and source ("2022-10-31 20:03 来源：外交部"), or only print/close/font-size links, are left out.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import lxml.html
from lxml import etree

from align.errors import InputError
from align.ingest.decode import _WIDEN, decode_bytes, remove_controls

_NEVER_TEXT = ("script", "style", "noscript", "template", "head", "title", "form", "button", "select", "input",
               "textarea", "iframe", "frame", "svg", "canvas", "object", "embed", "map", "audio", "video",
               "nav", "header", "footer", "aside", "menu", "dialog")
# Words of class and id values that mark page furniture (split at '-', '_', digits and case changes).
_FURNITURE_WORDS = frozenset("""nav navbar navigation menu menubar submenu header footer foot breadcrumb breadcrumbs
    crumb crumbs location share sharing social print close copyright sidebar aside related recommend pager pagination
    paging toolbar tools search banner logo friend friendlink links ad ads advert advertisement comment comments font
    fontsize zoom qrcode wechat weibo skip login""".split())
_BLOCKS = frozenset("""p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table tr td th tbody thead tfoot blockquote pre
    section article main figure figcaption address center hr caption""".split())
_PARAGRAPHS = frozenset("p h2 h3 h4 h5 h6 li td dd blockquote pre".split())

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SOURCE_BREAK = re.compile(f"(?<=[{_CJK}])[ \\t\\r\\f]*\\n\\s*(?=[{_CJK}])")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# A line that is only the article's date, time and source, or only print / close / font-size links.
_DATE = (r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|"
         r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|"
         r"\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}|"
         r"\d{1,2}:\d{2}(?::\d{2})?")
_META_KEY = (r"发布时间|发布日期|更新时间|时间|日期|来源|作者|编辑|责任编辑|字号|"
             r"Updated|Update|Published|Release|Date|Time|Source|From|Author|Editor|Font size|Font")
_FURNITURE_PHRASE = (r"打印本页|打印|关闭窗口|关闭|返回顶部|分享到|分享|收藏|纠错|[大中小]|"
                     r"Print|Close|Back to top|Share|E-?mail|Bookmark|Larger|Large|Medium|Smaller|Small")
_METADATA_TOKEN = re.compile(rf"(?<![A-Za-z0-9])(?:(?:{_DATE})|(?:(?:{_META_KEY})\s*[:：]\s*(?:[^\s|｜/【】\[\]]{{1,30}})?)|"
                             rf"(?:{_FURNITURE_PHRASE}))(?![A-Za-z])", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s|｜/·•【】\[\]()（）<>«»:：,，_-]+")


def _charset(data: bytes) -> str | None:
    """The encoding the page declares, when Python knows it."""
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return _WIDEN.get(name, name)


def decode_html(data: bytes, path: Path) -> str:
    """A page's text: by its BOM, else by its declared charset, else detected; InputError when it is not text."""
    declared = None if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else _charset(data)
    if declared:
        try:
            return remove_controls(data.decode(declared).replace("\r\n", "\n").replace("\r", "\n"))
        except UnicodeDecodeError:
            pass  # the page lies about its charset: detect it as for text
    return decode_bytes(data, path)


def _words(value: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", value)
    return {w.lower() for w in re.split(r"[^A-Za-z]+", spaced) if w}


def _is_furniture(element) -> bool:
    if element.tag in _NEVER_TEXT:
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(_words(names) & _FURNITURE_WORDS) or "display:none" in element.get("style", "").replace(" ", "")


def _remove(elements) -> None:
    for element in list(elements):
        if element.getparent() is not None:
            element.drop_tree()   # keeps the text that follows the element


def _own_text(element) -> str:
    """The text of `element` outside nested blocks and links."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str) or (child.tag not in _BLOCKS and child.tag != "a"):
            parts.append(child.text_content() if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    return "".join(parts)


def _main_element(body):
    """The element whose paragraphs hold the most non-link text (each block's own text counts fully for
    its parent, half for its grandparent); then, while one child holds most of that in its own text
    (lines set with <br> in one table cell or div), that child."""
    scores: dict = {}
    own: dict = {}
    for block in body.iter(*_PARAGRAPHS, "div"):
        length = len(re.sub(r"\s+", "", _own_text(block)))
        if not length:
            continue
        own[block] = length
        parent = block.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + length
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0.0) + length / 2
    if not scores:
        return None
    best = max(scores, key=scores.get)
    while True:
        child = max((c for c in best if c.tag in ("div", "td") and c.find("br") is not None),
                    key=lambda c: own.get(c, 0), default=None)
        if child is None or not own.get(child) or own[child] < 0.6 * scores.get(best, 0.0):
            return best
        best = child


def _in_furniture(element) -> bool:
    return _is_furniture(element) or any(_is_furniture(a) for a in element.iterancestors())


def _title_element(body):
    """The article's title: the first <h1> outside the page furniture; else the first element outside it
    whose class or id says title (`news-title`, `articleTitle`) and that holds no paragraphs; else the
    first such <h2>; else an <h1> inside a header that is not the site's logo."""
    def titled(e) -> bool:
        return "title" in _words(f"{e.get('class', '')} {e.get('id', '')}") and not any(
            c.tag in ("p", "div", "ul", "table") for c in e.iterdescendants())

    elements = [e for e in body.iter() if isinstance(e.tag, str) and e.text_content().strip()]
    for wanted in (lambda e: e.tag == "h1" and not _in_furniture(e),
                   lambda e: titled(e) and not _in_furniture(e),
                   lambda e: e.tag == "h2" and not _in_furniture(e),
                   lambda e: e.tag == "h1" and not any("logo" in _words(f"{a.get('class', '')} {a.get('id', '')}")
                                                       for a in (e, *e.iterancestors()))):
        found = next((e for e in elements if wanted(e)), None)
        if found is not None:
            return found
    return None


def _flatten(element, out: list[str], pre: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag == "br":
        out.append("\n")
    block = tag in _BLOCKS
    pre = pre or tag == "pre"
    if block:
        out.append("\n\n")
    if tag is not None and element.text:
        out.append(_clean_space(element.text, pre))
    if tag is not None:
        for child in element:
            _flatten(child, out, pre)
    if block:
        out.append("\n\n")
    if element.tail:
        out.append(_clean_space(element.tail, pre and not block))


def _clean_space(text: str, pre: bool = False) -> str:
    """Runs of white space as one space (a source line break between Chinese characters as nothing);
    inside <pre>, line breaks stay."""
    if pre:
        return "\n".join(re.sub(r"\s+", " ", line) for line in text.split("\n"))
    return re.sub(r"\s+", " ", _SOURCE_BREAK.sub("", text))


def is_page_furniture(line: str) -> bool:
    """A line that is only a date, time and source, or only print / close / font-size links."""
    stripped = line.strip()
    if not stripped or len(stripped) > 100:
        return False
    tokens = _METADATA_TOKEN.findall(stripped)
    rest = _SEPARATORS.sub("", _METADATA_TOKEN.sub("", stripped))
    return not rest and any(len(token) > 1 for token in tokens)


def _lines(element) -> list[str]:
    out: list[str] = []
    _flatten(element, out)
    text = re.sub(r" *\n *", "\n", "".join(out))
    lines = []
    for paragraph in re.split(r"\n{2,}", text):
        kept = [line.strip() for line in paragraph.split("\n") if line.strip() and not is_page_furniture(line)]
        if kept:
            lines.append("\n".join(kept))
    return lines


def html_text(data: bytes, path: Path) -> str:
    """The transcript of a saved web page: title and paragraphs, blank lines between them. InputError
    when the page has no text."""
    text = _XML_DECLARATION.sub("", decode_html(data, path))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the page as HTML ({exc}); save it again from the browser") from None
    body = root.find("body") if root.find("body") is not None else root
    title_element = _title_element(body)
    _remove(e for e in body.iter() if isinstance(e.tag, str) and e is not title_element and _is_furniture(e)
            and (title_element is None or e not in title_element.iterancestors()))
    _remove(e for e in body.iter() if not isinstance(e.tag, str))   # comments, processing instructions
    main = _main_element(body)
    paragraphs = _lines(main) if main is not None else []
    if title_element is not None and (main is None or main not in title_element.iterancestors()):
        title = " ".join(_lines(title_element))
        if title:
            paragraphs.insert(0, title)
    if not any(re.search(rf"[A-Za-z{_CJK}]", p) for p in paragraphs):
        raise InputError(f"{path}: a web page with no text in it (only markup or scripts); save the page once it "
                         "shows the transcript, or give the text as .txt")
    return "\n\n".join(paragraphs) + "\n"
