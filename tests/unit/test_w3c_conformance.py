"""The W3C export against the MUST assertions of the W3C Web Annotation test suite.

w3c/web-annotation-tests runs JSON Schemas (draft-04) listed in two test files:
``annotations/annotationMusts.test`` on each annotation and ``collections/collectionMusts.test``
on the collection. Each check below encodes one of those assertion files (named in its message)
with the definitions they reference (``definitions/annotations.json``, ``collections.json``,
``id.json``, ``bodyTarget.json``, ``otherProperties.json``). ``format: uri`` is checked as an
absolute IRI (a scheme, then no spaces), except for ``target.source``, which by this app's
documented contract is the article's path in the corpus folder.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reader.core.annotation_io import W3C_CONTEXT, from_w3c, to_w3c
from reader.core.annotations import new_bookmark, new_highlight

TEXT = "Talks resume\n30 July 2020\nThe OSCE Minsk group met in Vienna. Observers were cautious."
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
    "identifying", "linking", "moderating", "questioning", "replying", "tagging",
}  # fmt: skip


def values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def single_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(IRI.match(value))


def annotation_failures(a: dict[str, Any]) -> list[str]:
    """annotations/annotationMusts.test: every MUST assertion it lists."""
    bad = []
    if W3C_CONTEXT not in values(a.get("@context")):
        bad.append("3.1-annotationContextValidated")
    if not single_iri(a.get("id")):
        bad.append("3.1-annotationIdValidated")
    if "Annotation" not in values(a.get("type")):
        bad.append("3.1-annotationTypeValidated")
    if "target" not in a:
        bad.append("3.1-targetKeyFound")
    for target in values(a.get("target", [])):
        # bodyTarget.json#targetResourcesFound: a uri, or a Specific Resource (has source), or
        # an External Web Resource (an id IRI, no value/source).
        ok = single_iri(target) or (
            isinstance(target, dict)
            and (isinstance(target.get("source"), str) or single_iri(target.get("id")))
        )
        if not ok:
            bad.append("3.2-targetObjectsRecognized")
    if "body" in a and "bodyValue" in a:
        bad.append("3.2.5-notBodyBodyValue")
    dates = {
        "created": "3.3.1-annotationCreatedValidated",
        "modified": "3.3.1-annotationModifiedValidated",
        "generated": "3.3.1-annotationGeneratedValidated",
    }
    for key, name in dates.items():
        if key in a and not (isinstance(a[key], str) and DATETIME.match(a[key])):
            bad.append(name)
    iris = {
        "rights": "3.3.6-annotationRightsValidated",
        "canonical": "3.3.7-annotationCanonicalValidated",
        "via": "3.3.7-annotationViaValidated",
    }
    for key, name in iris.items():
        if key in a and not all(single_iri(v) for v in values(a[key])):
            bad.append(name)
    # definitions/annotations.json#motivationRecognizedIfPresent and #stylesheetValueDefinition.
    if "motivation" in a and not set(values(a["motivation"])) <= MOTIVATIONS:
        bad.append("annotations.json#motivationRecognizedIfPresent")
    if "stylesheet" in a:
        sheet = a["stylesheet"]
        if not (
            single_iri(sheet)
            or (
                isinstance(sheet, dict)
                and sheet.get("type") == "CssStylesheet"
                and (("value" in sheet) != ("id" in sheet))
            )
        ):
            bad.append("annotations.json#stylesheetValueDefinition")
    # Model 4.4: a styleClass names a class of the Annotation's own stylesheet.
    for target in values(a.get("target", [])):
        if isinstance(target, dict) and "styleClass" in target:
            sheet = a.get("stylesheet")
            css = sheet.get("value", "") if isinstance(sheet, dict) else ""
            if f".{target['styleClass']}" not in css:
                bad.append("4.4 styleClass without the Annotation's stylesheet")
    return bad


def collection_failures(c: dict[str, Any]) -> list[str]:
    """collections/collectionMusts.test: every MUST assertion it lists."""
    bad = []
    if W3C_CONTEXT not in values(c.get("@context")):
        bad.append("5.1-collectionContextValidated")
    if not single_iri(c.get("id")):
        bad.append("5.1-collectionIdValidated")
    if "AnnotationCollection" not in values(c.get("type")):
        bad.append("5.1-collectionTypeValidated")
    if "label" in c and not all(isinstance(v, str) for v in values(c["label"])):
        bad.append("5.1-collectionLabelValidated")
    total = c.get("total")
    if "total" in c and not (isinstance(total, int) and total >= 0):
        bad.append("5.1-collectionTotalValidated")
    first = c.get("first")
    if isinstance(total, int) and total > 0 and first is None:
        bad.append("5.1-collectionFirstValidated (first required when total > 0)")
    if first is not None and not (
        single_iri(first) or (isinstance(first, dict) and "AnnotationPage" in values(first.get("type")))
    ):
        bad.append("5.1-collectionFirstValidated")
    if "last" in c and not single_iri(c["last"]):
        bad.append("5.1-collectionLastValidated")
    for key in ("created", "modified"):
        if key in c and not DATETIME.match(str(c[key])):
            bad.append(f"3.3.1-collection{key.title()}Validated")
    if "rights" in c and not all(single_iri(v) for v in values(c["rights"])):
        bad.append("3.3.6-collectionRightsValidated")
    if "items" in c:
        bad.append("items belong on an AnnotationPage, not on the collection (model 5.2)")
    return bad


def page_failures(page: dict[str, Any], collection: dict[str, Any]) -> list[str]:
    """collections.json#itemsFound and #partOfValidIfPresent / #startIndexDefinition."""
    bad = []
    if not isinstance(page.get("items"), list) or not all(
        (isinstance(i, dict) and "Annotation" in values(i.get("type"))) or single_iri(i)
        for i in page["items"]
    ):
        bad.append("collections.json#itemsFound")
    if "partOf" in page and page["partOf"] != collection["id"]:
        bad.append("collections.json#partOfValidIfPresent")
    if "startIndex" in page and not (isinstance(page["startIndex"], int) and page["startIndex"] >= 0):
        bad.append("collections.json#startIndexDefinition")
    return bad


def sample() -> list[Any]:
    s = TEXT.index("Minsk group")
    return [
        new_highlight(
            "/c", "a.txt", TEXT, s, s + 11, "green", note="mediators", title="Talks", date="2020-07-30"
        ),
        new_highlight("/c", "b/c.txt", TEXT, 0, 12, "pink"),
        new_bookmark("/c", "a.txt", 40, "Talks", "2020-07-30"),
    ]


def test_the_export_meets_every_must_assertion() -> None:
    exported = json.loads(json.dumps(to_w3c(sample(), "/c")))
    assert collection_failures(exported) == []
    page = exported["first"]
    assert page_failures(page, exported) == []
    assert len(page["items"]) == exported["total"] == 3
    for item in page["items"]:
        assert annotation_failures(item) == [], item


def test_the_old_export_shape_fails_the_checks() -> None:
    """The checks can fail: the shape exported before (items and stylesheet on the collection)."""
    old = {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "total": 1,
        "stylesheet": {"type": "CssStylesheet", "value": ".green { background-color: #8ce99a; }"},
        "items": [
            {"id": "urn:uuid:1", "type": "Annotation", "target": {"source": "a.txt", "styleClass": "green"}}
        ],
    }
    assert set(collection_failures(old)) >= {
        "5.1-collectionIdValidated",
        "5.1-collectionFirstValidated (first required when total > 0)",
    }
    assert "4.4 styleClass without the Annotation's stylesheet" in annotation_failures(old["items"][0])


def test_the_collection_id_is_stable_per_corpus() -> None:
    assert to_w3c([], "/c")["id"] == to_w3c(sample(), "/c")["id"] != to_w3c([], "/d")["id"]
    assert collection_failures(to_w3c([], "/c")) == []


def test_import_reads_pages_following_next_and_older_files() -> None:
    items = sample()
    exported = json.loads(json.dumps(to_w3c(items, "/c")))
    assert from_w3c(exported, "/c", lambda p: TEXT) == items
    # Split over three pages chained by next.
    one, two, three = exported["first"]["items"]
    paged = {
        **exported,
        "first": {
            "type": "AnnotationPage",
            "items": [one],
            "next": {
                "type": "AnnotationPage",
                "items": [two],
                "next": {"type": "AnnotationPage", "items": [three]},
            },
        },
    }
    assert from_w3c(paged, "/c", lambda p: TEXT) == items
    # Today's files: items on the collection, the stylesheet on the collection.
    older = {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "stylesheet": {"type": "CssStylesheet", "value": ""},
        "items": [
            {k: v for k, v in i.items() if k not in ("@context", "stylesheet")} for i in (one, two, three)
        ],
    }
    assert from_w3c(older, "/c", lambda p: TEXT) == items
    # A page on its own.
    assert from_w3c(exported["first"], "/c", lambda p: TEXT) == items
