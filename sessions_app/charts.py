"""Bar charts drawn as inline SVG on the server: no JavaScript, no style attributes, and
the statistics page's charts built from its report (statistics_charts).

Colours and fonts come from classes styled in static/css/statistics.css (the CSP
forbids inline styles); positions and sizes are plain SVG attributes. The viewBox lets
the stylesheet stretch a chart to the page's width; width and height give its natural
size where no stylesheet applies. Each chart has a <title> and <desc>, and the page
puts a data table under it for screen readers.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import segno
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sessions_app.models import ConversationFormat, TimeOfDay
from sessions_app.stats import AttendanceReport, Period

HEIGHT = 280
TOP = 44  # room for the legend
BOTTOM = 42  # room for two lines of category labels
LEFT = 44  # room for the value labels
RIGHT = 12
BAR = 16
GAP = 4  # between bars of one group
GROUP_PADDING = 14  # on each side of a group
MIN_WIDTH = 640  # stretched to a wide page, a narrower chart's text would grow too big


@dataclass(frozen=True)
class Series:
    """One kind of bar: a legend label, a CSS class for its colour, one value per category."""

    label: str
    css_class: str
    values: list[int]


def nice_step(top: int, *, ticks: int = 5) -> int:
    """A round step (1, 2, 5, 10, 20, 50…) giving at most `ticks` steps up to `top`."""
    if top <= ticks:
        return 1
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def _num(value: float) -> str:
    """SVG coordinates with at most one decimal, and no "-0"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[tuple[str, str]],
    series: list[Series],
    stacked: bool = False,
    value_label: str = "",
) -> SafeString:
    """An SVG bar chart: one group of bars per category, side by side or stacked.

    `categories` are (first line, second line) labels under the groups, for example
    ("Jan", "2026"). Every text is escaped here, so the result is safe to put in a page.
    """
    value_label = value_label or _("People")
    count = len(categories)
    bars_per_group = 1 if stacked else max(len(series), 1)
    group_width = bars_per_group * BAR + (bars_per_group - 1) * GAP + 2 * GROUP_PADDING
    width = max(MIN_WIDTH, LEFT + RIGHT + count * group_width)
    plot_width = width - LEFT - RIGHT
    group_width = plot_width / count if count else plot_width
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM

    if stacked:
        largest = max((sum(s.values[i] for s in series) for i in range(count)), default=0)
    else:
        largest = max((v for s in series for v in s.values), default=0)
    step = nice_step(largest)
    top = max(step * math.ceil(largest / step), step)

    def y(value: float) -> float:
        return baseline - plot_height * value / top

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]

    # Legend, in a row above the plot.
    x = LEFT
    for s in series:
        parts.append(
            f'<rect class="chart__swatch {escape(s.css_class)}" x="{x}" y="10" '
            'width="12" height="12" rx="2"/>'
        )
        parts.append(f'<text class="chart__legend" x="{x + 17}" y="20">{escape(s.label)}</text>')
        x += 30 + 7 * len(s.label)

    # Value axis: gridlines and their numbers.
    for tick in range(0, top + 1, step):
        ty = _num(y(tick))
        parts.append(
            f'<line class="chart__grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{ty}" y2="{ty}"/>'
        )
        parts.append(
            f'<text class="chart__tick" x="{LEFT - 6}" y="{ty}" dy="4" '
            f'text-anchor="end">{tick}</text>'
        )
    parts.append(
        f'<text class="chart__axis-label" x="12" y="{_num(TOP + plot_height / 2)}" '
        f'text-anchor="middle" transform="rotate(-90 12 {_num(TOP + plot_height / 2)})">'
        f"{escape(value_label)}</text>"
    )

    # Bars, one group per category.
    for index, (line_one, line_two) in enumerate(categories):
        left = LEFT + index * group_width
        centre = left + group_width / 2
        label = f"{line_one} {line_two}".strip()
        if stacked:
            bottom = 0
            for s in series:
                value = s.values[index]
                if value:
                    parts.append(
                        f'<rect class="chart__bar {escape(s.css_class)}" '
                        f'x="{_num(centre - BAR / 2)}" y="{_num(y(bottom + value))}" '
                        f'width="{BAR}" height="{_num(y(bottom) - y(bottom + value))}">'
                        f"<title>{escape(label)}, {escape(s.label)}: {value}</title></rect>"
                    )
                bottom += value
            parts.append(
                f'<text class="chart__value" x="{_num(centre)}" y="{_num(y(bottom) - 4)}" '
                f'text-anchor="middle">{bottom}</text>'
            )
        else:
            first = centre - (bars_per_group * BAR + (bars_per_group - 1) * GAP) / 2
            for position, s in enumerate(series):
                value = s.values[index]
                if not value:
                    continue  # no bar, no "0" over the axis: the table has the zeros
                bx = first + position * (BAR + GAP)
                parts.append(
                    f'<rect class="chart__bar {escape(s.css_class)}" x="{_num(bx)}" '
                    f'y="{_num(y(value))}" width="{BAR}" height="{_num(baseline - y(value))}">'
                    f"<title>{escape(label)}, {escape(s.label)}: {value}</title></rect>"
                )
                parts.append(
                    f'<text class="chart__value" x="{_num(bx + BAR / 2)}" '
                    f'y="{_num(y(value) - 4)}" text-anchor="middle">{value}</text>'
                )
        parts.append(
            f'<text class="chart__category" x="{_num(centre)}" y="{baseline + 16}" '
            f'text-anchor="middle">{escape(line_one)}'
            f'<tspan x="{_num(centre)}" dy="14">{escape(line_two)}</tspan></text>'
        )

    parts.append(
        f'<line class="chart__axis" x1="{LEFT}" x2="{width - RIGHT}" '
        f'y1="{baseline}" y2="{baseline}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


# The statistics page's charts -------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One chart and the same numbers as a table."""

    id: str
    title: str
    description: str
    svg: SafeString
    series: list[Series]
    rows: list[tuple[Period, list[tuple[str, int]], int]]  # (period, [(label, value)], total)
    total_label: str
    unit: str = ""  # "Month" or "Quarter": the table's first column

    @property
    def table_rows(self) -> SafeString:
        """The table's rows, written here as the template wrote them (the same HTML: each
        value localized and escaped as {{ value }} does): ten years' tables of a few
        charts were a third of the page's time when looped in the template."""
        unit = conditional_escape(self.unit)
        total_label = conditional_escape(self.total_label)
        estimated = format_html(
            ' <a href="#estimated-note" title="{}">*</a>',
            _("Uses going RSVPs for a session with no door record"),
        )
        numbers: dict[int, str] = {}  # localized once per number: the same few recur

        def number(value: int) -> str:
            text = numbers.get(value)
            if text is None:
                text = numbers[value] = conditional_escape(localize(value))
            return text

        labels = {series.label: conditional_escape(series.label) for series in self.series}
        rows = []
        for period, values, total in self.rows:
            cells = "".join(
                f'<td data-label="{labels[label]}">{number(value)}</td>' for label, value in values
            )
            rows.append(
                "\n            <tr>"
                f'\n              <th scope="row" data-label="{unit}">'
                f"{conditional_escape(period.name)}"
                f"{estimated if period.estimated_count else ''}</th>"
                f"\n              {cells}"
                f'\n              <td data-label="{total_label}">{number(total)}</td>'
                "\n            </tr>\n          "
            )
        return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


def _chart(
    chart_id: str,
    title: str,
    description: str,
    periods: list[Period],
    series: list[Series],
    *,
    stacked: bool,
    total_label: str = "",
    unit: str = "",
) -> Chart:
    svg = bar_chart(
        chart_id=f"chart-{chart_id}",
        title=title,
        description=description,
        categories=[p.label for p in periods],
        series=series,
        stacked=stacked,
    )
    rows = [
        (p, [(s.label, s.values[i]) for s in series], sum(s.values[i] for s in series))
        for i, p in enumerate(periods)
    ]
    return Chart(chart_id, title, description, svg, series, rows, total_label or _("Total"), unit)


COLOURS = [f"series-{n}" for n in range(1, 5)]  # classes in statistics.css


def _unit(report: AttendanceReport) -> str:
    """What the tables' first column holds (the template's header says the same)."""
    return _("Month") if report.by_month else _("Quarter")


def _slot_charts(report: AttendanceReport) -> list[Chart]:
    """By slot: one chart when time of day and format always go together, else one for
    each; a chart with a single series would only repeat the attendance chart's totals,
    so it is left out (the page names the one slot instead)."""
    periods = report.periods
    unit = _unit(report)
    found = []
    if report.slots_coincide:
        if len(report.slots) > 1:
            series = [
                Series(
                    slot.label,
                    COLOURS[n],
                    [
                        p.slot_total(time_of_day=slot.time_of_day, format=slot.format)
                        for p in periods
                    ],
                )
                for n, slot in enumerate(report.slots)
            ]
            found.append(
                _chart(
                    "slot",
                    _("By slot"),
                    _("People who came each month, to each slot.")
                    if report.by_month
                    else _("People who came each quarter, to each slot."),
                    periods,
                    series,
                    stacked=False,
                    unit=unit,
                )
            )
        return found
    if len(report.times_of_day) > 1:
        series = [
            Series(
                TimeOfDay(value).label,
                COLOURS[n],
                [p.slot_total(time_of_day=value) for p in periods],
            )
            for n, value in enumerate(report.times_of_day)
        ]
        description = (
            _("People who came each month, to evening and to daytime sessions.")
            if report.by_month
            else _("People who came each quarter, to evening and to daytime sessions.")
        )
        found.append(
            _chart(
                "time-of-day",
                _("Evening or daytime"),
                description,
                periods,
                series,
                stacked=False,
                unit=unit,
            )
        )
    if len(report.formats) > 1:
        series = [
            Series(
                ConversationFormat(value).words.capitalize(),
                COLOURS[n],
                [p.slot_total(format=value) for p in periods],
            )
            for n, value in enumerate(report.formats)
        ]
        description = (
            _("People who came each month, to brief and to in-depth conversations.")
            if report.by_month
            else _("People who came each quarter, to brief and to in-depth conversations.")
        )
        found.append(
            _chart(
                "format",
                _("Brief or in depth"),
                description,
                periods,
                series,
                stacked=False,
                unit=unit,
            )
        )
    return found


def statistics_charts(report: AttendanceReport) -> list[Chart]:
    """Attendance by month (or quarter), by slot, and new and returning people."""
    periods = report.periods
    unit = _unit(report)
    attendance = _chart(
        "attendance",
        _("People who came"),
        _("People who came each month: RSVPs in the room, online, and walk-ins, stacked.")
        if report.by_month
        else _("People who came each quarter: RSVPs in the room, online, and walk-ins, stacked."),
        periods,
        [
            Series(_("In person"), COLOURS[0], [p.in_person_rsvps for p in periods]),
            Series(_("Online"), COLOURS[1], [p.online for p in periods]),
            Series(_("Walk-ins"), COLOURS[2], [p.walk_ins for p in periods]),
        ],
        stacked=True,
        unit=unit,
    )
    people = _chart(
        "people",
        _("New and returning people"),
        _(
            "Different people with an RSVP who came each month, stacked: people at their "
            "first session ever, and people who had come before. Walk-ins give no name, so "
            "they are left out here."
        )
        if report.by_month
        else _(
            "Different people with an RSVP who came each quarter, stacked: people at their "
            "first session ever, and people who had come before. Walk-ins give no name, so "
            "they are left out here."
        ),
        periods,
        [
            Series(_("New"), COLOURS[0], [p.new_people for p in periods]),
            Series(_("Returning"), COLOURS[1], [p.returning_people for p in periods]),
        ],
        stacked=True,
        total_label=_("Different people"),
        unit=unit,
    )
    return [attendance, *_slot_charts(report), people]


@lru_cache(maxsize=256)
def _qr_code_geometry(data: str) -> str:
    """segno's SVG for `data`, drawn once per process: the door list's code depends only
    on the session's check-in code and the site address, both in `data`, and drawing it
    was most of the door list's time."""
    svg = segno.make(data, error="m").svg_inline(
        scale=4,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="qr",
        lineclass="qr__modules",
        omitsize=True,
    )
    if "style=" in svg:
        raise ValueError("The QR code SVG has a style attribute, which the CSP would block.")
    return svg


def qr_code_svg(data: str, *, label: str) -> SafeString:
    """A QR code for `data` as inline SVG, with an accessible label (in the reader's
    language, so added per request to the kept drawing).

    segno writes only geometry and presentation attributes (stroke, fill); the
    check in _qr_code_geometry keeps it that way should a future version add a style
    attribute.
    """
    svg = _qr_code_geometry(data).replace(
        "<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup, and the label is escaped
