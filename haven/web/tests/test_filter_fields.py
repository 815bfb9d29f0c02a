"""`{% filter_fields %}` renders the case list's filter form in Python: the same elements, attributes, values,
errors and text as Django's form renderer (includes/form.html), so speed costs no accessibility."""
from __future__ import annotations

from html.parser import HTMLParser

from django.template import engines
from django.template.loader import render_to_string
from django.test import SimpleTestCase

from haven.web.forms import CaseFilterForm


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items: list = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, sorted(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.items.append(data.strip())


def structure(html: str) -> list:
    parser = _Structure()
    parser.feed(html)
    return parser.items


class FilterFieldsTests(SimpleTestCase):
    template = engines["django"].from_string("{% load haven_web %}{% filter_fields form %}")

    def form(self, data):
        form = CaseFilterForm(data, organizations=[(1, "Maple")], sponsor_groups=[(7, "Group <A>"), (8, "B")])
        form.fields["q"].widget.attrs.update({"hx-get": "/cases/", "hx-trigger": "input changed delay:300ms"})
        form.values()
        return form

    def test_same_markup_as_the_form_renderer(self):
        for data in ({"q": "명철 <b>", "status": "open", "sponsor_group": "7", "mine": "on", "sort": "-reference"},
                     {"status": "bogus", "organization": "x"}, {}):
            with self.subTest(data=data):
                form = self.form(data)
                expected = structure(render_to_string("includes/form.html", {"form": form}))
                self.assertEqual(structure(self.template.render({"form": form})), expected)

    def test_values_are_escaped_and_selected(self):
        html = self.template.render({"form": self.form({"q": '"><script>', "sponsor_group": "7"})})
        self.assertNotIn("<script>", html)
        self.assertIn('<option value="7" selected>Group &lt;A&gt;</option>', html)
        self.assertIn('value="&quot;&gt;&lt;script&gt;"', html)
