# ruff: noqa: E501  (sample documents keep their lines as a page or feed has them)
"""Real-world-shaped sample files of the other article formats, made by the tests themselves:
a news page with its furniture, feeds with CDATA and HTML entities, a multipart newsletter,
EPUB 2 and 3 books, and the hostile inputs of issue 13."""

from __future__ import annotations

import io
import zipfile

ARTICLE_PARAGRAPHS = [
    "A large fire broke out in the harbour of Port Elwin on Thursday morning, the fire brigade said, "
    "and spread across three warehouses before crews could contain it.",
    "More than two hundred residents of the nearby Quayside district were evacuated as thick smoke "
    "covered the streets for most of the day.",
    "The cause of the blaze is still unknown; the city prosecutor has opened an investigation and "
    "asked witnesses to come forward.",
]
ARTICLE_SUBHEADING = "Residents evacuated from Quayside"
ARTICLE_LIST = ["Three warehouses destroyed by the flames", "No injuries reported so far"]
BOILERPLATE = [
    "We use cookies to improve your experience",
    "Accept all cookies",
    "Subscribe to our newsletter",
    "Share on Facebook",
    "Terrible news, I hope everyone is safe tonight",
    "Another warehouse fire last year in Rosemont",
    "Copyright 2020 Elwin Daily Courier",
    "Sports",
]


def news_page(title: str = "Fire destroys warehouses in Port Elwin harbour", charset: str = "utf-8") -> str:
    """A saved news article page: navigation, a cookie banner, share buttons, the article with a
    subheading and a list, reader comments, related links and a footer."""
    p1, p2, p3 = ARTICLE_PARAGRAPHS
    items = "".join(f"<li>{item}</li>" for item in ARTICLE_LIST)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="{charset}">
<title>{title} | Elwin Daily Courier</title>
<link rel="canonical" href="https://courier.example.com/news/2020/07/30/harbour-fire">
<link rel="stylesheet" href="https://cdn.example.com/site.css">
<meta name="author" content="Maria Lindqvist">
<meta property="og:site_name" content="Elwin Daily Courier">
<meta property="article:published_time" content="2020-07-30T09:12:00+02:00">
<script src="https://ads.example.com/tracker.js"></script>
<script>window.dataLayer = [{{"page": "<p>script text must not show</p>"}}];</script>
<style>.cookie {{ position: fixed; }}</style>
</head><body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience on our site.
By continuing you agree to our use of cookies.</p><button>Accept all cookies</button></div>
<header class="site-header"><a href="/">Elwin Daily Courier</a>
<nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/sports">Sports</a></li>
<li><a href="/culture">Culture</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article class="article">
<h1>{title}</h1>
<div class="byline">By Maria Lindqvist, 30 July 2020</div>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<img src="https://images.example.com/fire.jpg" alt="The fire at night">
<p>{p1}</p>
<h2>{ARTICLE_SUBHEADING}</h2>
<p>{p2}</p>
<ul>{items}</ul>
<p>{p3}</p>
</article>
<aside class="newsletter"><p>Subscribe to our newsletter for the latest news every morning.</p></aside>
<section class="comments" id="comments"><h3>Comments (2)</h3>
<div class="comment"><p class="comment-body">Terrible news, I hope everyone is safe tonight.</p></div>
<div class="comment"><p class="comment-body">The fire service did a great job in difficult conditions.</p></div>
</section>
<aside class="related"><h3>Related articles</h3><ul>
<li><a href="/a">Another warehouse fire last year in Rosemont</a></li>
<li><a href="/b">Harbour expansion plans approved by council</a></li></ul></aside>
</main>
<footer><p>Copyright 2020 Elwin Daily Courier. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>"""


RSS_WITH_CDATA = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Harbour Gazette &#8211; Local news</title>
  <link>https://gazette.example.org/</link>
  <language>en-us</language>
  <atom:link href="https://gazette.example.org/feed" rel="self" type="application/rss+xml"/>
  <item>
    <title>Caf&eacute;s reopen on the quay &amp; market square</title>
    <link>https://gazette.example.org/2021/03/cafes-reopen</link>
    <guid isPermaLink="false">gazette-1001</guid>
    <pubDate>Tue, 02 Mar 2021 08:30:00 +0000</pubDate>
    <dc:creator><![CDATA[Jonas Berg]]></dc:creator>
    <description><![CDATA[<p>Short teaser that must not be shown when the full text exists.</p>]]></description>
    <content:encoded><![CDATA[<p>After four months the caf&eacute;s on the quay reopened on Monday &mdash; to long queues.</p>
<h3>Outdoor seating only</h3>
<p>Owners said the &ldquo;first espresso&rdquo; tasted <strong>better than ever</strong>.</p>
<script>alert("no")</script>]]></content:encoded>
  </item>
  <item>
    <title>Ferry timetable changes</title>
    <link>https://gazette.example.org/2021/03/ferry</link>
    <pubDate>Wed, 03 Mar 2021 10:00:00 +0000</pubDate>
    <description>The &lt;b&gt;morning ferry&lt;/b&gt; now leaves at 6:45 &amp;amp; returns at 8:10.</description>
  </item>
</channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title type="text">Hafenblatt</title>
  <author><name>Redaktion Hafenblatt</name></author>
  <id>urn:uuid:feed-1</id>
  <updated>2021-04-05T12:00:00Z</updated>
  <entry>
    <title type="html">Neue &lt;em&gt;Brücke&lt;/em&gt; eröffnet</title>
    <link rel="alternate" href="https://hafenblatt.example.de/bruecke"/>
    <link rel="enclosure" href="https://hafenblatt.example.de/bruecke.mp3"/>
    <id>urn:uuid:entry-1</id>
    <published>2021-04-05T09:00:00+02:00</published>
    <updated>2021-04-06T09:00:00+02:00</updated>
    <summary>Kurz: eine Brücke.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Die neue Brücke über den
    Hafen wurde am Montag eröffnet.</p><p>Tausende kamen zur Feier.</p></div></content>
  </entry>
  <entry>
    <title>Markt am Samstag</title>
    <id>urn:uuid:entry-2</id>
    <updated>2021-04-07T08:00:00Z</updated>
    <author><name>Eva Kühn</name></author>
    <content type="text">Der Wochenmarkt findet diesmal am Samstag statt.</content>
  </entry>
</feed>
"""


def rss(items: list[tuple[str, str, str]], title: str = "Test feed") -> str:
    """An RSS 2.0 feed of (guid, title, description) items."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{t}</title><description>{d}</description>"
        f"<pubDate>Mon, 01 Feb 2021 10:00:00 +0000</pubDate></item>"
        for guid, t, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'


def newsletter(
    message_id: str = "<nl-42@news.example.com>",
    subject: str = "The Weekly Harbour: issue 42",
    attachment: bytes = b"%PDF-1.4 tiny",
) -> bytes:
    """A multipart newsletter: plain and HTML alternatives, an inline image and an attachment."""
    import base64

    encoded = base64.encodebytes(attachment).decode("ascii")
    return f"""Message-ID: {message_id}
From: =?utf-8?q?Hafen_Zeitung_Redaktion?= <newsletter@news.example.com>
To: reader@example.org
Subject: {subject}
Date: Fri, 12 Feb 2021 07:00:00 +0100
MIME-Version: 1.0
Content-Language: en
Content-Type: multipart/mixed; boundary="==mixed=="

This is a multi-part message in MIME format.

--==mixed==
Content-Type: multipart/alternative; boundary="==alt=="

--==alt==
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Good morning,

this week the new pier opened and the caf=C3=A9s on the quay are busy
again after a long winter.

The ferry timetable changes on Monday.

--==alt==
Content-Type: text/html; charset="utf-8"

<html><body><p>HTML ALTERNATIVE that must not be shown twice</p></body></html>

--==alt==--

--==mixed==
Content-Type: application/pdf; name="timetable.pdf"
Content-Disposition: attachment; filename="timetable.pdf"
Content-Transfer-Encoding: base64

{encoded}
--==mixed==--
""".replace("\n", "\r\n").encode("utf-8")


HTML_ONLY_MAIL = b"""Message-ID: <html-1@example.com>
From: Port Authority <info@port.example.com>
Subject: Harbour closed on Sunday
Date: Sat, 13 Feb 2021 18:00:00 +0000
Content-Type: text/html; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

<html><head><style>p {color: red}</style></head><body><h1>Harbour closed</h1>
<p>The harbour is closed on Sunday for repairs to the quay. Caf=E9s stay open.</p>
<table><tr><td>Opening</td><td>Monday 6:00</td></tr></table></body></html>
"""


def mbox(*messages: bytes) -> bytes:
    parts = []
    for m in messages:
        parts.append(
            b"From sender@example.com Fri Feb 12 07:00:00 2021\n"
            + m.replace(b"\r\n", b"\n").rstrip(b"\n")
            + b"\n\n"
        )
    return b"".join(parts)


CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head>
<body>{heading}{paragraphs}</body></html>"""


def epub(
    chapters: list[tuple[str, str, list[str]]],
    version: str = "3",
    date: str = "2020-05-01",
    publisher: str = "Harbour Press",
    extra: dict[str, bytes] | None = None,
    inflate: dict[str, int] | None = None,
) -> bytes:
    """An EPUB of (file name, heading or "", paragraphs) chapters, with a nav document (EPUB 3)
    or an NCX (EPUB 2) whose labels are "TOC: <file name>". ``inflate`` names chapters whose
    text is that many megabytes of one repeated paragraph (a zip bomb: it compresses 1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        manifest = []
        spine = []
        for i, (name, heading, paragraphs) in enumerate(chapters):
            html_heading = f"<h1>{heading}</h1>" if heading else ""
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            if name in (inflate or {}):
                with z.open(f"OEBPS/text/{name}", "w", force_zip64=True) as fh:
                    block = b"<p>" + b"a" * (1024 * 1024 - 8) + b"</p>\n"
                    for _ in range((inflate or {})[name]):
                        fh.write(block)
            else:
                z.writestr(f"OEBPS/text/{name}", CHAPTER.format(heading=html_heading, paragraphs=body))
            manifest.append(f'<item id="c{i}" href="text/{name}" media-type="application/xhtml+xml"/>')
            spine.append(f'<itemref idref="c{i}"/>')
        if version == "3":
            links = "".join(f'<li><a href="text/{n}">TOC: {n}</a></li>' for n, _, _ in chapters)
            z.writestr(
                "OEBPS/nav.xhtml",
                '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
                f'<nav epub:type="toc"><ol>{links}</ol></nav></body></html>',
            )
            manifest.append(
                '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
            )
            spine_attr = ""
        else:
            points = "".join(
                f'<navPoint id="p{i}"><navLabel><text>TOC: {n}</text></navLabel><content src="text/{n}"/></navPoint>'
                for i, (n, _, _) in enumerate(chapters)
            )
            z.writestr(
                "OEBPS/toc.ncx",
                f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>{points}</navMap></ncx>',
            )
            manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
            spine_attr = ' toc="ncx"'
        z.writestr(
            "OEBPS/content.opf",
            f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Harbour Book</dc:title>'
            f"<dc:creator>A. Writer</dc:creator><dc:publisher>{publisher}</dc:publisher>"
            f"<dc:date>{date}</dc:date><dc:language>en</dc:language></metadata>"
            f"<manifest>{''.join(manifest)}</manifest><spine{spine_attr}>{''.join(spine)}</spine></package>",
        )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()
