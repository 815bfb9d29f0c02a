"""`{% work_rows %}` renders the "my work" rows in Python: byte for byte what the template loop it replaced in
casework/_items.html rendered, escaping and translations included."""
from __future__ import annotations

import datetime as dt

from django.template import engines
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.safestring import mark_safe

from haven.casework.agenda import WorkItem

# The loop of casework/_items.html as it was before `{% work_rows %}`.
TEMPLATE_LOOP = engines["django"].from_string("""{% load i18n %}<ul class="work-list">
  {% for item in items %}
  <li class="work-item work-item--{{ item.kind }}{% if item.overdue %} work-item--overdue{% endif %}" data-kind="{{ item.kind }}" data-pk="{{ item.pk }}">
    <span class="work-item__kind">{{ item.kind_label }}</span>
    <a class="work-item__title" href="{{ item.url }}">{{ item.title }}</a>
    <span class="work-item__meta">
      <time datetime="{{ item.day }}">{{ item.when }}</time>
      · {{ item.case_reference }}{% if item.kind == "task" %} · {{ item.status }} · {{ item.priority }} · {{ item.assignee }}{% endif %}
      {% if item.place %} · {{ item.place }}{% endif %}
      {% if item.interpreter %} · <span class="work-item__interpreter">{% blocktranslate with language=item.interpreter %}Interpreter: {{ language }}{% endblocktranslate %}</span>{% endif %}
    </span>
  </li>
  {% endfor %}
</ul>""")
TAG = engines["django"].from_string("""{% load casework_rows %}<ul class="work-list">
  {% work_rows items %}
</ul>""")

AT = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.timezone.utc)
ITEMS = [
    WorkItem("task", 1, dt.date(2026, 3, 1), "<script>alert('x')</script> & \"co\"", 7, "MSS<1>", "sponsorship",
             "/work/tasks/1/", status="Open", priority="High", assignee="Ri 'Myong' & <b>", assignee_id=3,
             overdue=True),
    WorkItem("appointment", 22, dt.date(2026, 3, 4), "Bank & account", 8, "R-2", "settlement",
             "/work/appointments/22/?a=1&b=2", at=AT, ends_at=AT, status="Scheduled", place="Main <St>",
             interpreter="Korean <kor>"),
    WorkItem("appointment", 23, dt.date(2026, 3, 5), "Call", 8, "R-2", "settlement", "/work/appointments/23/",
             at=AT, ends_at=AT, status="Scheduled", place="", interpreter=""),
    WorkItem("deadline", 4444, dt.date(2026, 3, 9), "Basis of claim · 리명철", 9, "하나", "protection_claim",
             "/claims/5/", overdue=False),
    WorkItem("task", 12345, dt.date(2026, 3, 9), mark_safe("<i>safe</i>"), 9, "R-9", "legal", "/work/tasks/12345/",
             status="Done", priority="Normal", assignee="", assignee_id=None, is_open=False),
]


class WorkRowsTests(SimpleTestCase):
    def test_same_bytes_as_the_template_loop_in_every_language(self):
        for language in ("en", "fr", "ko"):
            with self.subTest(language=language), translation.override(language):
                expected = TEMPLATE_LOOP.render({"items": ITEMS})
                self.assertEqual(TAG.render({"items": ITEMS}), expected)

    def test_text_is_escaped_and_translated(self):
        with translation.override("ko"):
            html = TAG.render({"items": ITEMS})
            phrase = translation.gettext("Interpreter: %(language)s")
        self.assertNotEqual(phrase, "Interpreter: %(language)s")
        self.assertIn(phrase % {"language": "Korean &lt;kor&gt;"}, html)
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;co&quot;", html)
        self.assertIn('href="/work/appointments/22/?a=1&amp;b=2"', html)
        self.assertEqual(html.count("work-item--overdue"), 1)

    def test_no_items_no_rows(self):
        self.assertEqual(TAG.render({"items": []}), '<ul class="work-list">\n  \n</ul>')
