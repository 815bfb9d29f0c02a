"""The SVG charts' legend: measured by how wide its labels draw, so Korean labels do not run into each other,
and wrapped onto more rows inside the chart when the labels are too long for one."""
from xml.sax.saxutils import escape

from haven.stats.charts import HEIGHT, LEGEND_LINE, RIGHT, WIDTH, legend_layout, render_svg, text_width

KOREAN_OUTCOMES = ["회부", "인정", "기각(근거 없음·명백히 이유 없음 포함)", "포기", "철회 및 기타", "기간 말 계류 중"]


def test_a_hangul_syllable_is_as_wide_as_the_font_size():
    assert (text_width("기각"), text_width("ab")) == (22, 14)


def test_legend_labels_do_not_overlap_and_stay_inside_the_chart():
    names = [*KOREAN_OUTCOMES, "Rejected (incl. no credible basis and manifestly unfounded)"]
    rows = legend_layout(names)
    assert len(rows) > 1
    assert [name for row in rows for name, _ in row] == names  # every label, in order
    for row in rows:
        for (name, x), (_, next_x) in zip(row, row[1:]):
            assert next_x >= x + 14 + text_width(name)  # a label ends before the next swatch
        last_name, last_x = row[-1]
        assert last_x + 14 + text_width(last_name) <= WIDTH - RIGHT


def test_a_short_legend_keeps_one_row_and_the_usual_height():
    svg = render_svg(title="T", categories=["2024"], series=[("Referred", [3]), ("Accepted", [1])])
    assert f'height="{HEIGHT}"' in svg


def test_the_chart_grows_to_hold_a_wrapped_legend():
    rows = legend_layout(KOREAN_OUTCOMES * 2)
    svg = render_svg(title="T", categories=["2024"], series=[(name, [1]) for name in KOREAN_OUTCOMES * 2])
    assert len(rows) > 1
    assert f'height="{HEIGHT + LEGEND_LINE * (len(rows) - 1)}"' in svg
    assert all(f">{escape(name)}</text>" in svg for name in KOREAN_OUTCOMES)
