"""Real documents made from a plain-text transcript by the real tools, for `bench formats` and the
format tests: web pages laid out as the ministry's Chinese and English sites lay them out (menus,
breadcrumb, title, date line, transcript, pagination, share and print links, footer with copyright and
ICP number), Word files written by python-docx, PDFs printed by headless Chromium."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from align.ingest.transcript import is_residue, speaker_label

ZH_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_中华人民共和国外交部</title>
<link rel="stylesheet" href="/images/main.css">
<style>.nav li {{ float: left; }} body {{ font-family: "Microsoft YaHei"; }}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
<div class="topbar"><div class="w1200"><span>欢迎访问中华人民共和国外交部网站</span>
  <a href="/eng/">English</a> | <a href="/fra/">Français</a> | <a href="/rus/">Русский</a> | <a href="/esp/">Español</a>
  | <a href="#">无障碍浏览</a> | <a href="#">长者模式</a></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="中华人民共和国外交部"></div>
  <div class="search"><input type="text" value="请输入关键词"><button>搜索</button></div></div>
<div class="nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/wjb/">外交部</a></li><li><a href="/wjbz/">外交部长</a></li>
  <li><a href="/wjdt/">外交动态</a></li><li><a href="/fyrbt/">外交部发言人</a></li><li><a href="/gjhdq/">国家和组织</a></li>
  <li><a href="/ziliao/">资料</a></li><li><a href="/lsfw/">领事服务</a></li></ul></div>
<div class="main w1200">
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/fyrbt/">外交部发言人</a> &gt; <a href="/fyrbt/lxjzh/">例行记者会</a></div>
<div class="content">
<div class="news-title"><h1>{title}</h1></div>
<div class="news-info"><span class="time">2022-10-31 20:03</span>&nbsp;&nbsp;<span>来源：外交部</span>
  &nbsp;<span class="size">【<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span>
  <a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
<div class="news-main"><div id="News_Body_Txt_A" class="TRS_Editor">
{body}
</div>
<div class="pages"><a href="#">上一页</a>&nbsp; <a href="#">1</a>&nbsp; <a href="#">2</a>&nbsp; <a href="#">3</a> … <a href="#">12</a>&nbsp; <a href="#">下一页</a></div>
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="printclose"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="#">2022年10月28日外交部发言人赵立坚主持例行记者会</a></li>
  <li><a href="#">外交部发言人答记者问</a></li></ul></div>
</div></div>
<div class="footer"><div class="links">网站链接：<a href="#">中国政府网</a> <a href="#">驻外使领馆</a></div>
  <p>版权所有：中华人民共和国外交部</p>
  <p><a href="https://beian.miit.gov.cn/">京ICP备05078758号-2</a>&nbsp;&nbsp;京公网安备 11010102000004号</p>
  <p>地址：北京市朝阳区朝阳门南大街2号 邮编：100701 电话：010-65961114</p>
  <p>网站标识码bm04000001</p></div>
<script>document.getElementById("News_Body_Txt_A").style.fontSize = "16px";</script>
</body></html>
"""

EN_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>{title}</title>
<style>#nav a {{ color: #fff; }}</style>
<script type="text/javascript">window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
<div id="top"><a href="/">中文</a> | <a href="#">Mobile</a> | <a href="#">Contact Us</a> | <a href="#">Site Map</a></div>
<header><div class="logo">Ministry of Foreign Affairs of the People's Republic of China</div></header>
<div id="nav"><a href="/eng/">Home</a> <a href="/eng/wjb/">Ministry</a> <a href="/eng/wjbz/">The Foreign Minister</a>
  <a href="/eng/zy/">Foreign Policy</a> <a href="/eng/xw/">News</a> <a href="/eng/fyrbt/">Spokesperson's Remarks</a>
  <a href="/eng/gjhdq/">Countries &amp; Regions</a> <a href="/eng/lsfw/">Consular Services</a></div>
<div class="crumbs">Home &gt; Press and Media Service &gt; Spokesperson's Remarks</div>
<div class="content">
<div class="title"><h1>{title}</h1></div>
<div class="time">Updated: 2022-10-31 20:30</div>
<div class="fontSize">Font size: <a href="#">A+</a> <a href="#">A</a> <a href="#">A-</a></div>
<div class="TRS_Editor">
{body}
</div>
<div class="pages"><a href="#">&lt;</a> <a href="#">1</a> <a href="#">2</a> <a href="#">3</a> <a href="#">12</a> <a href="#">&gt;</a></div>
<div class="print">[<a href="javascript:window.print()">Print</a>] [<a href="javascript:window.close()">Close</a>]</div>
<div class="share-box">Share: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">WeChat</a></div>
</div>
<footer><div class="footer-links"><a href="#">Links</a> <a href="#">Embassies and Consulates</a></div>
  <p>Copyright &copy; Ministry of Foreign Affairs, the People's Republic of China. All rights reserved.</p>
  <p>京ICP备05078758号-3 | Address: No. 2, Chaoyangmen Nandajie, Chaoyang District, Beijing, 100701</p></footer>
</body></html>
"""

# Phrases of the pages' furniture that must never reach a sentence.
FURNITURE = ("欢迎访问", "首页", "外交动态", "当前位置", "来源：外交部", "打印", "关闭窗口", "分享到", "相关新闻",
             "版权所有", "京ICP备", "京公网安备", "邮编", "网站标识码", "统计代码", "2022-10-31",
             "Site Map", "Consular Services", "Spokesperson's Remarks", "Updated", "Font size", "Print", "Close",
             "Share", "Facebook", "Copyright", "All rights reserved", "Chaoyangmen", "dataLayer")


def transcript_parts(text: str, lang: str) -> tuple[str, list[tuple[str | None, str]]]:
    """The title and the (speaker label, paragraph) blocks of a plain-text transcript, without its web
    residue; a label on its own line goes with the paragraph after it."""
    lines = [line.strip() for line in text.split("\n") if line.strip() and not is_residue(line)]
    title, blocks, label = lines[0], [], None
    for line in lines[1:]:
        found = speaker_label(line, lang)
        if found and not found[1]:
            label = line
            continue
        blocks.append((label, line))
        label = None
    return title, blocks


def page_body(blocks, lang: str, inline_labels: bool) -> str:
    indent = "\u3000\u3000" if lang == "zh" else ""
    out = []
    for label, paragraph in blocks:
        if label and not inline_labels:
            out.append(f"<p>{indent}<strong>{html.escape(label)}</strong></p>")
        lead = f"<strong>{html.escape(label)}</strong>" + ("" if lang == "zh" else " ") if label and inline_labels else ""
        out.append(f"<p>{indent}{lead}{html.escape(paragraph)}</p>")
    return "\n".join(out)


def ministry_page(text: str, lang: str, *, charset: str = "utf-8", inline_labels: bool = False) -> bytes:
    """A web page of the ministry's site in `lang` holding the transcript `text`, encoded in `charset`."""
    title, blocks = transcript_parts(text, lang)
    template = ZH_PAGE if lang == "zh" else EN_PAGE
    page = template.format(charset=charset, title=html.escape(title), body=page_body(blocks, lang, inline_labels))
    return page.encode(charset, errors="xmlcharrefreplace")


PRINT_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A5; margin: 22mm 14mm; }}
body {{ font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 12pt; line-height: 1.5; }}
.running {{ position: fixed; top: 0; left: 0; right: 0; font-size: 8pt; color: #666; }}
body {{ padding-top: 8mm; }}
h1 {{ font-size: 15pt; }}
</style></head>
<body>
<div class="running">{running}</div>
<h1>{title}</h1>
{body}
</body></html>
"""


def print_page(text: str, lang: str) -> str:
    """The print version of a transcript page: title and paragraphs, and a running header on every page."""
    title, blocks = transcript_parts(text, lang)
    running = "中华人民共和国外交部 · 例行记者会" if lang == "zh" else "Ministry of Foreign Affairs · Press Conference"
    return PRINT_PAGE.format(lang=lang, title=html.escape(title), running=running, body=page_body(blocks, lang, False))


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdf(page_html: str, out: Path, *, header_footer: bool = True) -> Path:
    """Print an HTML page to PDF with headless Chromium (its own header and footer, date, title, URL and
    page numbers, printed unless `header_footer` is False)."""
    source = out.with_suffix(".print.html")
    source.write_text(page_html, encoding="utf-8")
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}",
               source.as_uri()]
    if not header_footer:
        command.insert(3, "--no-pdf-header-footer")
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return out


def word_document(text: str, lang: str, out: Path, *, table: bool = False) -> Path:
    """A .docx written by python-docx: title as a heading, labels in bold, paragraphs; with `table`, the
    transcript as a two-column table (label, words). A header, a footer and a comment are added too,
    which a reader must leave out."""
    import docx

    title, blocks = transcript_parts(text, lang)
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "中华人民共和国外交部 内部资料" if lang == "zh" else "MFA internal copy"
    section.footer.paragraphs[0].text = "第 1 页 共 3 页" if lang == "zh" else "Page 1 of 3"
    heading = document.add_heading(title, level=1)
    document.add_comment(heading.runs, text="请核对标题" if lang == "zh" else "check the title", author="Reviewer")
    if table:
        grid = document.add_table(rows=0, cols=2)
        for label, paragraph in blocks:
            cells = grid.add_row().cells
            cells[0].text = label or ""
            cells[1].text = paragraph
    else:
        for label, paragraph in blocks:
            if label:
                document.add_paragraph().add_run(label).bold = True
            document.add_paragraph(paragraph)
    document.save(out)
    return out
