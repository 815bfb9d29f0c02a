"""`{% filter_fields %}` renders the case list's filter form in Python: the same elements, attributes, values,
errors and text as Django's form renderer (includes/form.html), so speed costs no accessibility."""
from __future__ import annotations

from html.parser import HTMLParser

from django.template import engines
from django.template.loader import render_to_string
from django.test import SimpleTestCase

from haven.cases.forms import CaseFilterForm


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

    def test_labels_and_widgets_are_byte_for_byte_djangos_in_every_language(self):
        from django import forms
        from django.utils import translation

        from haven.web.templatetags.haven_web import _label_tag, _plain_widget

        class Odd(forms.Form):  # labels ending in punctuation, with markup, or none; a per-field suffix
            a = forms.CharField(label="Name?", required=False)
            b = forms.CharField(label="<b>Bold</b> & co", required=False)
            c = forms.CharField(label="", required=False)
            d = forms.CharField(label="Suffixed", label_suffix=" →", required=False)
            e = forms.CharField(required=False, widget=forms.TextInput(attrs={"id": "custom-id"}))
            f = forms.ChoiceField(required=False, choices=[(None, "none"), (1, "one"), ("1", "one again")],
                                  initial=1)
            g = forms.ChoiceField(required=False, choices=[("Group", [("a", "A"), ("b", "B")]), ("c", "C")])
            h = forms.BooleanField(required=True, initial=True)

        for language in ("en", "fr", "ko"):
            with self.subTest(language=language), translation.override(language):
                for form in (self.form({"q": '명철 "<b>"', "status": "open", "sponsor_group": "7", "mine": "on",
                                        "sort": "-reference"}),
                             self.form({"q": "명철", "sort": "-reference", "status": "bogus"}), self.form({}),
                             Odd({}), Odd({}, auto_id=False)):
                    for field in form.visible_fields():
                        self.assertEqual(_label_tag(field), field.label_tag() if field.label else "")
                    for field in [*form.hidden_fields(), *form.visible_fields()]:
                        self.assertEqual(_plain_widget(field), field.as_widget())
                form = self.form({"sort": "-reference", "status": "bogus"})
                self.assertEqual(structure(self.template.render({"form": form})),
                                 structure(render_to_string("includes/form.html", {"form": form})))
                self.assertIn('<input type="hidden" name="sort" value="-reference" id="id_sort">',
                              self.template.render({"form": form}))
