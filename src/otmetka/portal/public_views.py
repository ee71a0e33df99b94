"""The public pages (no login): the regions and their schools, a school's home, news, documents,
help links, its files, the Atom feeds and the sitemap. The pages are the same for everyone
(rendered without the request: no user, no session), so they may be cached for a minute."""

from typing import Any, cast

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from otmetka.journal.downloads import homework_file_response
from otmetka.journal.models import HomeworkFile
from otmetka.portal import selectors
from otmetka.portal.markup import markdown_html
from otmetka.portal.models import Publication, PublicationFile
from otmetka.school.models import School

PUBLIC_CACHE = "public, max-age=60"


def _public(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = PUBLIC_CACHE
    return response


def _page(template: str, school: School | None, **context: Any) -> HttpResponseBase:
    if school is not None:
        context |= {"school": school, "key": selectors.school_key(school)}
    return _public(HttpResponse(render_to_string(f"portal/public/{template}", context)))


@require_GET
def index(request: HttpRequest) -> HttpResponseBase:
    """Every region with a link to its page."""
    return _page("index.html", None, regions=selectors.regions())


@require_GET
def region(request: HttpRequest, region_id: int) -> HttpResponseBase:
    """A region's schools, by district, with links to their pages."""
    found, schools = selectors.region_schools(region_id)
    return _page("region.html", None, region=found, schools=schools)


@require_GET
def home(request: HttpRequest, key: str) -> HttpResponseBase:
    """The school's name, address, contacts, director and its latest news."""
    school = selectors.public_school(key)
    profile = selectors.site_profile(school)
    return _page(
        "home.html", school, profile=profile, about=markdown_html(profile.about),
        director=selectors.director_name(school, profile), news=selectors.latest_news(school),
    )  # fmt: skip


@require_GET
def news(request: HttpRequest, key: str) -> HttpResponseBase:
    school = selectors.public_school(key)
    rows, number, more = selectors.news_page(school, request.GET.get("page"))
    return _page("news.html", school, rows=rows, number=number, more=more)


@require_GET
def article(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    school = selectors.public_school(key)
    item = selectors.public_item(school, "news", pk)
    return _page("article.html", school, item=item, body=markdown_html(item.body))


@require_GET
def documents(request: HttpRequest, key: str) -> HttpResponseBase:
    school = selectors.public_school(key)
    return _page("documents.html", school, categories=selectors.documents_by_category(school))


@require_GET
def help_page(request: HttpRequest, key: str) -> HttpResponseBase:
    school = selectors.public_school(key)
    return _page("help.html", school, links=selectors.help_links(school))


@require_GET
def public_file(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    """A document's file (a download, like homework files) or a picture's copy for the page;
    never a draft's file, never a picture's original."""
    school = selectors.public_school(key)
    found = selectors.public_file(school, pk)
    if found.is_image:
        kind = "image/png" if (found.display.name or "").endswith(".png") else "image/jpeg"
        response: HttpResponseBase = FileResponse(found.display.open("rb"), content_type=kind)
        response["X-Content-Type-Options"] = "nosniff"
    else:
        response = homework_file_response(cast(HomeworkFile, found))
    return _public(response)


def file_url(row: PublicationFile) -> str:
    return reverse("public:file", args=[selectors.school_key(row.publication.school), row.pk])


class _SchoolFeed(Feed[Publication, School]):
    feed_type = Atom1Feed
    kind = "news"

    def get_object(self, request: HttpRequest, key: str) -> School:
        return selectors.public_school(key)

    def link(self, obj: School) -> str:
        return reverse("public:home", args=[selectors.school_key(obj)])

    def items(self, obj: School) -> list[Publication]:
        return list(selectors.published(obj, self.kind).select_related("school")[:30])

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_description(self, item: Publication) -> str:
        return str(markdown_html(item.body))

    def item_pubdate(self, item: Publication) -> Any:
        return item.published_at

    def item_updateddate(self, item: Publication) -> Any:
        return item.published_at


class NewsFeed(_SchoolFeed):
    def title(self, obj: School) -> str:
        return _("%(school)s: news") % {"school": obj.short_name}

    def item_link(self, item: Publication) -> str:
        key = selectors.school_key(item.school)
        return reverse("public:article", args=[key, item.pk])


class DocumentsFeed(_SchoolFeed):
    kind = "document"

    def title(self, obj: School) -> str:
        return _("%(school)s: documents") % {"school": obj.short_name}

    def item_link(self, item: Publication) -> str:
        key = selectors.school_key(item.school)
        return reverse("public:documents", args=[key]) + f"#doc-{item.pk}"


def news_feed(request: HttpRequest, key: str) -> HttpResponseBase:
    return _public(NewsFeed()(request, key=key))


def documents_feed(request: HttpRequest, key: str) -> HttpResponseBase:
    return _public(DocumentsFeed()(request, key=key))


class SchoolPagesSitemap(Sitemap[tuple[str, str]]):
    """Each school's home, news, documents and help pages."""

    PAGES = ("public:home", "public:news", "public:documents", "public:help")

    def items(self) -> list[tuple[str, str]]:
        keys = selectors.school_keys()
        return [(page, key) for key in keys for page in self.PAGES]

    def location(self, item: tuple[str, str]) -> str:
        return reverse(item[0], args=[item[1]])


class ArticlesSitemap(Sitemap[Publication]):
    """Every published news item."""

    def items(self) -> Any:
        return selectors.sitemap_items().filter(kind="news")

    def location(self, item: Publication) -> str:
        return reverse("public:article", args=[selectors.school_key(item.school), item.pk])

    def lastmod(self, item: Publication) -> Any:
        return item.published_at


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "pages": SchoolPagesSitemap,
    "news": ArticlesSitemap,
}


@require_GET
def sitemap(request: HttpRequest) -> HttpResponseBase:
    response = sitemap_view(request, sitemaps=SITEMAPS)
    response.render()
    return _public(response)
