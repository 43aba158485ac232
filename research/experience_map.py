"""The experience map: a journey's steps side by side, each with what customers felt and said there.

A step per column, grouped under its macro-step, and one lane per kind of evidence: the feeling (the
emotional curve's point, drawn across the columns), the irritants and enchantments raised there most
(by the number of participants), the expectations voiced, the channels used, and one quote. Steps
nobody talked about keep their column, empty: on a map, silence at a step is a finding too.

`experience_map` gathers the columns; `map_html` draws them as a self-contained HTML table (the
journey page shows it, the HTML report embeds it) and `research.synthesis_deck` as a slide.
"""
from __future__ import annotations

import base64
import html
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from research.synthesis import (
    ENCHANTMENT, EXPECTATION, IRRITANT, CodedUtterance, Filters, apply_filters, emotional_curve, findings,
)
from research.quoting import short_quote
from research.synthesis_charts import GREEN, RED
from research.nlp.themes import MISCELLANEOUS_ID

PER_LANE = 2  # themes shown per step in the irritant, enchantment and expectation lanes
Translate = Callable[..., str]


@dataclass(frozen=True)
class MapStep:
    """A step of the journey as defined, whether anyone talked about it or not."""

    step_id: int
    order: int
    label: str
    macro_step: str = ""
    moment_of_truth: bool = False


@dataclass
class MapColumn:
    step: MapStep
    utterances: int = 0
    score: float | None = None                                      # -1 .. +1, None when nobody spoke of it
    irritants: list[tuple[str, int]] = field(default_factory=list)     # (theme, participants)
    enchantments: list[tuple[str, int]] = field(default_factory=list)
    expectations: list[tuple[str, int]] = field(default_factory=list)
    channels: list[tuple[str, int]] = field(default_factory=list)      # (channel, utterances)
    quote: CodedUtterance | None = None

    @property
    def silent(self) -> bool:
        return self.utterances == 0


def _top(records: Sequence[CodedUtterance], label: str, at: Filters) -> list[tuple[str, int]]:
    found = [f for f in findings(records, label, at, max_verbatims=1) if f.theme_id != MISCELLANEOUS_ID]
    return [(f.theme_label, f.participants) for f in found[:PER_LANE]]


def _quote(items: Sequence[CodedUtterance], score: float | None,
           quotable: Callable[[int | None], bool]) -> CodedUtterance | None:
    """The step's voice: the best quote of the feeling that dominates there (an irritant where the
    curve is below zero), from someone who consented to being quoted."""
    if score is None:
        return None
    wanted = IRRITANT if score < 0 else ENCHANTMENT
    for label in (wanted, ENCHANTMENT if wanted == IRRITANT else IRRITANT):
        for f in findings(items, label):
            for u in f.verbatims:
                if quotable(u.participant_id):
                    return u
    return None


def experience_map(records: Iterable[CodedUtterance], steps: Sequence[MapStep], filters: Filters | None = None, *,
                   quotable: Callable[[int | None], bool] = lambda participant_id: True) -> list[MapColumn]:
    """A column per step of `steps` (one journey's, in order), from the records kept by `filters`."""
    kept = apply_filters(records, filters)
    curve = {p.step_id: p for p in emotional_curve(kept) if p.series == "all"}
    columns = []
    for step in steps:
        at = Filters(step_ids=(step.step_id,))
        items = apply_filters(kept, at)
        point = curve.get(step.step_id)
        columns.append(MapColumn(
            step=step, utterances=len(items), score=point.score if point else None,
            irritants=_top(items, IRRITANT, at), enchantments=_top(items, ENCHANTMENT, at),
            expectations=_top(items, EXPECTATION, at),
            channels=Counter(u.channel for u in items if u.channel).most_common(3),
            quote=_quote(items, point.score if point else None, quotable)))
    return columns


def steps_in(records: Iterable[CodedUtterance], journey_id: int | None) -> list[MapStep]:
    """The steps the utterances are placed in, in journey order: a map's columns when the journey's own
    definition is not at hand (steps nobody spoke of are then missing)."""
    seen = {u.step_id: MapStep(u.step_id, u.step_position, u.step_label, u.macro_step, u.moment_of_truth)
            for u in records if u.step_id is not None and (journey_id is None or u.journey_id == journey_id)}
    return sorted(seen.values(), key=lambda s: (s.order, s.label))


def macro_spans(columns: Sequence[MapColumn]) -> list[tuple[str, int]]:
    """(macro-step, number of consecutive columns under it), left to right."""
    spans: list[tuple[str, int]] = []
    for c in columns:
        if spans and spans[-1][0] == c.step.macro_step:
            spans[-1] = (spans[-1][0], spans[-1][1] + 1)
        else:
            spans.append((c.step.macro_step, 1))
    return spans


# ---------------------------------------------------------------- as HTML

COLUMN_PX, LANE_PX, CURVE_PX = 168, 132, 96
PRINT_COLUMNS, PRINT_LANE_SHARE = 4, 16  # steps per printed block; the lane names' share of the page
CSS = f"""
.em-wrap{{overflow-x:auto;margin:.5rem 0 1rem;font-family:"Source Sans Pro","Helvetica Neue",Arial,sans-serif}}
.em{{border-collapse:separate;border-spacing:0;table-layout:fixed;font-size:13px;color:#1f2933;margin:0}}
.em td,.em th,.em li,.em ul{{font-size:13px}}
.em th,.em td{{width:{COLUMN_PX}px;padding:6px 8px;vertical-align:top;border-bottom:1px solid #e4e7eb;
  border-right:1px solid #f0f2f5;text-align:left;line-height:1.3}}
.em .lane{{width:{LANE_PX}px;position:sticky;left:0;background:#f5f7fa;color:#52606d;font-weight:600;
  font-size:12px;z-index:1}}
.em .macro{{background:#1f3a5f;color:#fff;font-weight:600;text-align:center;border-right:2px solid #fff}}
.em .step{{font-weight:600}}.em .mot{{box-shadow:inset 0 3px 0 #f0b429}}
.em .badge{{display:inline-block;margin-top:3px;font-size:11px;font-weight:600;color:#8d5d00;background:#fff3c4;
  border-radius:3px;padding:0 4px}}
.em .silent{{background:repeating-linear-gradient(135deg,#fafbfc,#fafbfc 6px,#f2f4f7 6px,#f2f4f7 12px);
  color:#9aa5b1}}
.em .curve{{padding:0}}.em .irritant{{color:{RED}}}.em .enchantment{{color:{GREEN}}}
.em .n{{color:#7b8794;font-size:11px}}.em ul{{margin:0;padding-left:14px}}
.em li{{margin:0 0 3px;padding:0;line-height:1.3}}
.em blockquote{{margin:0;font-style:italic;font-size:12px}}.em cite{{display:block;font-style:normal;
  font-size:11px;color:#7b8794}}
.em-fluid th,.em-fluid td{{width:auto}}.em-fluid .lane{{width:auto;position:static}}
.em-print{{display:none}}.em-block{{margin:0 0 10px;break-inside:avoid;page-break-inside:avoid}}
@media print{{.em-screen{{display:none}}.em-print{{display:block}}
  .em .macro,.em .lane,.em .badge,.em .silent{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}}}
"""


def _curve_svg(columns: Sequence[MapColumn], t: Translate) -> str:
    """The emotional curve across the columns: a point per step at its feeling, joined where both are known."""
    w, h, pad = COLUMN_PX * len(columns), CURVE_PX, 14
    y = lambda score: pad + (1 - score) / 2 * (h - 2 * pad)  # noqa: E731 - +1 at the top, -1 at the bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
             'font-family="Helvetica, Arial, sans-serif">',
             f'<line x1="0" x2="{w}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#9aa5b1" stroke-dasharray="4 4"/>']
    known = [(i, c.score) for i, c in enumerate(columns) if c.score is not None]
    for (i, a), (j, b) in zip(known, known[1:]):
        parts.append(f'<line x1="{(i + .5) * COLUMN_PX:.1f}" y1="{y(a):.1f}" x2="{(j + .5) * COLUMN_PX:.1f}" '
                     f'y2="{y(b):.1f}" stroke="#1f3a5f" stroke-width="2"/>')
    for i, score in known:
        colour = RED if score < 0 else GREEN if score > 0 else "#7b8794"
        parts.append(f'<circle cx="{(i + .5) * COLUMN_PX:.1f}" cy="{y(score):.1f}" r="5" fill="{colour}"/>')
        parts.append(f'<text x="{(i + .5) * COLUMN_PX + 8:.1f}" y="{y(score) - 7:.1f}" font-size="11" '
                     f'fill="#52606d">{html.escape(t("synthesis.map.score", score=score))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def map_html(columns: Sequence[MapColumn], t: Translate, *, with_style: bool = True,
             printable: bool = False) -> str:
    """The map as an HTML table that scrolls sideways, lane names kept in view; every text escaped.

    `printable` adds the same map cut into even blocks of at most `PRINT_COLUMNS` steps, one under the
    other, which a printer (or "Save as PDF") uses instead: a page would cut the wide table at its right
    edge."""
    if not columns:
        return ""
    style = f"<style>{CSS}</style>" if with_style else ""
    screen = f'<div class="em-wrap">{_map_table(columns, t)}</div>'
    if not printable:
        return style + screen
    count = -(-len(columns) // PRINT_COLUMNS)
    sizes = [len(columns) // count + (k < len(columns) % count) for k in range(count)]  # 10 steps: 4, 3, 3
    starts = [sum(sizes[:k]) for k in range(count)]
    blocks = "".join(f'<div class="em-block">{_map_table(columns[a:a + n], t, fluid=True)}</div>'
                     for a, n in zip(starts, sizes))
    return f'{style}<div class="em-screen">{screen}</div><div class="em-print">{blocks}</div>'


def _map_table(columns: Sequence[MapColumn], t: Translate, *, fluid: bool = False) -> str:
    """The map's table: in pixels for a screen; `fluid`, in shares of the page, every step as wide as in a
    block of `PRINT_COLUMNS`."""
    e = html.escape

    def themes(items: list[tuple[str, int]], css: str) -> str:
        if not items:
            return "—"
        listed = "".join(f'<li>{e(name or t("synthesis.untitled"))} <span class="n">({n})</span></li>'
                         for name, n in items)
        return f'<ul class="{css}">{listed}</ul>'

    def cell(c: MapColumn, body: str) -> str:
        return f'<td class="silent">{e(t("synthesis.map.silent"))}</td>' if c.silent else f"<td>{body}</td>"

    def quote(c: MapColumn) -> str:
        if c.quote is None:
            return "—"
        return (f"<blockquote>« {e(short_quote(c.quote.text, 160))} »"
                f"<cite>{e(c.quote.participant_code)}</cite></blockquote>")

    rows = ['<tr><th class="lane"></th>' + "".join(
        f'<th class="macro" colspan="{n}">{e(name)}</th>' for name, n in macro_spans(columns)) + "</tr>"]
    rows.append(f'<tr><th class="lane">{e(t("synthesis.map.lane.step"))}</th>' + "".join(
        f'<td class="step{" mot" if c.step.moment_of_truth else ""}">{c.step.order:02d}. {e(c.step.label)}'
        + (f'<br><span class="badge">{e(t("synthesis.curve.moment_of_truth"))}</span>'
           if c.step.moment_of_truth else "")
        + f'<br><span class="n">{e(t("synthesis.map.utterances", n=c.utterances))}</span></td>' for c in columns)
        + "</tr>")
    curve = base64.b64encode(_curve_svg(columns, t).encode()).decode()
    size = ('style="width:100%;height:auto"' if fluid
            else f'width="{COLUMN_PX * len(columns)}" height="{CURVE_PX}"')
    rows.append(f'<tr><th class="lane">{e(t("synthesis.map.lane.feeling"))}</th><td class="curve" '
                f'colspan="{len(columns)}"><img alt="{e(t("synthesis.journey.curve"))}" '
                f'{size} src="data:image/svg+xml;base64,{curve}"></td></tr>')
    for key, attr, css in (("irritants", "irritants", "irritant"), ("enchantments", "enchantments", "enchantment"),
                           ("expectations", "expectations", "")):
        rows.append(f'<tr><th class="lane">{e(t(f"synthesis.map.lane.{key}"))}</th>'
                    + "".join(cell(c, themes(getattr(c, attr), css)) for c in columns) + "</tr>")
    rows.append(f'<tr><th class="lane">{e(t("synthesis.map.lane.channels"))}</th>' + "".join(
        cell(c, ", ".join(e(name) for name, _ in c.channels) or "—") for c in columns) + "</tr>")
    rows.append(f'<tr><th class="lane">{e(t("synthesis.map.lane.voice"))}</th>'
                + "".join(cell(c, quote(c)) for c in columns) + "</tr>")
    if fluid:  # shares of the page, written as shares of the table
        page = PRINT_LANE_SHARE + (100 - PRINT_LANE_SHARE) / PRINT_COLUMNS * len(columns)
        lane = round(100 * PRINT_LANE_SHARE / page, 2)
        step = round((100 - lane) / len(columns), 2)
        width, unit = f"{page:g}%", "%"
    else:
        lane, step = LANE_PX, COLUMN_PX
        width, unit = f"{LANE_PX + COLUMN_PX * len(columns)}px", "px"
    cols = f'<col style="width:{lane:g}{unit}">' + f'<col style="width:{step:g}{unit}">' * len(columns)
    return (f'<table class="em{" em-fluid" if fluid else ""}" style="width:{width}">'
            f'<colgroup>{cols}</colgroup>{"".join(rows)}</table>')
