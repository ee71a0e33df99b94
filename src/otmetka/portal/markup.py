"""The text of news and documents: a safe subset of Markdown rendered to HTML.

Raw HTML is never passed through (markdown-it escapes it with `html` off), pictures come from
uploads with their descriptions rather than from the text, and markdown-it's own link check
refuses `javascript:`, `vbscript:`, `file:` and `data:` addresses."""

from functools import cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

BODY_MAX = 20_000


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return parser.disable(["image", "html_block", "html_inline"])


def markdown_html(text: str) -> SafeString:
    """The text as HTML: paragraphs, headings, lists, emphasis, links, quotes, code."""
    html = _parser().render(text or "")
    # Headings of the text sit below the page's own h1 (the article's title).
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return mark_safe(html)  # escaped by markdown-it (html off), see the docstring
