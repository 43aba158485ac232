"""The synthesis charts, as Altair specifications shared by the pages and the exported report.

Altair only builds Vega-Lite JSON (it does not import streamlit), so the same chart is drawn by
`st.altair_chart` on a page and rendered offline to SVG/PNG by `vl-convert` in the report.
Every function takes `t(key, **params)`, the translator of the reader's language.
"""
from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd

from research.nlp.themes import MISCELLANEOUS_ID
from research.numbers import chart_locale
from research.quoting import short_quote
from research.synthesis import ENCHANTMENT, IRRITANT, CurvePoint, Finding, HeatCell

Translate = Callable[..., str]
# Irritant red and an emerald green that readers who confuse red and green still tell apart: their
# colour difference (CIELAB ΔE) seen as with deuteranopia is 43, with protanopia 23; the grass green
# used before gave 23 and 14. `tests/test_chart_colours.py` keeps it so.
RED, GREEN, GREY, GOLD = "#c0392b", "#117a65", "#7f8c8d", "#d4a017"
LIGHT_GREY = "#bdc3c7"  # what is neither irritant nor enchantment, nor a topic
VALENCE_MIDDLE = "#f4f1e4"  # neither: a light cream between the two


def valence_scale(extent: float) -> alt.Scale:
    """Irritant red through cream to enchantment green, for a valence from -extent to +extent (Vega's
    red-yellow-green ends in a red and a green that look alike to one man in twelve)."""
    return alt.Scale(domain=[-extent, 0, extent], range=[RED, VALENCE_MIDDLE, GREEN], interpolate="lab")


def emotional_curve_chart(points: Sequence[CurvePoint], t: Translate, *, width: int | str = "container",
                          height: int = 320) -> alt.Chart | None:
    """The feeling along the steps; one line per series ("all" thick, personas thin), moments of truth marked."""
    if not points:
        return None
    everyone = t("synthesis.curve.everyone")
    df = pd.DataFrame([{
        "step": f"{p.step_position:02d}. {short_quote(p.step_label, 38)}", "position": p.step_position,
        "series": everyone if p.series == "all" else p.series, "score": p.score,
        "irritants": p.irritants, "enchantments": p.enchantments, "coded": p.coded,
        "mot": t("synthesis.curve.moment_of_truth") if p.moment_of_truth else "",
        "is_all": p.series == "all",
    } for p in points])
    order = list(dict.fromkeys(df.sort_values("position")["step"]))
    x = alt.X("step:N", sort=order, title=t("synthesis.curve.step"),
              axis=alt.Axis(labelAngle=-25, labelLimit=200, labelOverlap=False))
    y = alt.Y("score:Q", scale=alt.Scale(domain=[-1, 1]), title=t("synthesis.curve.feeling"))
    tooltip = [alt.Tooltip("series:N", title=t("synthesis.curve.series")),
               alt.Tooltip("step:N", title=t("synthesis.curve.step")),
               alt.Tooltip("score:Q", title=t("synthesis.curve.feeling"), format="+.2f"),
               alt.Tooltip("irritants:Q", title=t("synthesis.irritants")),
               alt.Tooltip("enchantments:Q", title=t("synthesis.enchantments")),
               alt.Tooltip("coded:Q", title=t("synthesis.curve.coded"))]
    base = alt.Chart(df)
    mot = base.transform_filter((alt.datum.mot != "") & alt.datum.is_all).mark_rect(opacity=0.13, color=GOLD).encode(
        x=x, tooltip=[alt.Tooltip("mot:N", title=" ")])
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=GREY, strokeDash=[4, 4]).encode(y="y:Q")
    series = list(dict.fromkeys([everyone] + [s for s in df["series"] if s != everyone]))
    palette = ["#1f3a5f", "#e67e22", "#8e44ad", "#16a085", "#c0392b", "#2980b9", "#7f8c8d", "#d35400"]
    color = alt.Color("series:N", title=t("synthesis.curve.series"), sort=series,
                      scale=alt.Scale(domain=series, range=palette[: len(series)] or palette))
    lines = base.mark_line(point=True).encode(
        x=x, y=y, color=color, tooltip=tooltip,
        strokeWidth=alt.condition(alt.datum.is_all, alt.value(4), alt.value(1.8)),
        strokeDash=alt.condition(alt.datum.is_all, alt.value([1, 0]), alt.value([6, 3])),
    )
    return (mot + zero + lines).properties(width=width, height=height)


def findings_chart(items: Sequence[Finding], t: Translate, *, width: int | str = "container",
                   top: int = 10) -> alt.Chart | None:
    """The top findings as bars: participants who raised each, coloured by mean intensity."""
    items = list(items)[:top]
    if not items:
        return None
    label = items[0].label
    df = pd.DataFrame([{
        "theme": short_quote(f.theme_label or t("synthesis.untitled"), 48), "participants": f.participants,
        "mentions": f.mentions, "intensity": f.mean_intensity, "step": f.main_step, "rank": i,
        "miscellaneous": f.theme_id == MISCELLANEOUS_ID,
    } for i, f in enumerate(items)])
    scheme = {IRRITANT: "reds", ENCHANTMENT: "greens"}.get(label, "oranges")
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("theme:N", sort=alt.EncodingSortField("rank"), title=None,
                axis=alt.Axis(labelLimit=320)),
        x=alt.X("participants:Q", title=t("synthesis.board.participants"), axis=alt.Axis(tickMinStep=1)),
        # the theme of what has no subject of its own is not a finding like the others: grey
        color=alt.condition(alt.datum.miscellaneous, alt.value(LIGHT_GREY),
                            alt.Color("intensity:Q", title=t("synthesis.board.intensity"),
                                      scale=alt.Scale(scheme=scheme, domain=[0, 1]))),
        tooltip=[alt.Tooltip("theme:N", title=t("synthesis.theme")),
                 alt.Tooltip("participants:Q", title=t("synthesis.board.participants")),
                 alt.Tooltip("mentions:Q", title=t("synthesis.board.mentions")),
                 alt.Tooltip("intensity:Q", title=t("synthesis.board.intensity"), format=".2f"),
                 alt.Tooltip("step:N", title=t("synthesis.curve.step"))],
    ).properties(width=width, height=alt.Step(30))


def heatmap_chart(cells: Sequence[HeatCell], t: Translate, *, width: int | str = "container") -> alt.Chart | None:
    """Steps x channels; colour = enchantments minus irritants, text = "irritants / enchantments"."""
    if not cells:
        return None
    df = pd.DataFrame([{
        "step": ("★ " if c.moment_of_truth else "") + f"{c.step_position:02d}. {short_quote(c.step_label, 38)}",
        "position": c.step_position, "channel": c.channel, "irritants": c.irritants,
        "enchantments": c.enchantments, "balance": c.balance, "total": c.total,
        "text": f"{c.irritants} / {c.enchantments}",
    } for c in cells])
    order = list(dict.fromkeys(df.sort_values("position")["step"]))
    return _balance_grid(
        df, t, row="step", row_title=t("synthesis.curve.step"), row_sort=order, column="channel",
        column_title=t("synthesis.heat.channel"), text="text:N", width=width,
        tooltip=[alt.Tooltip("step:N", title=t("synthesis.curve.step")),
                 alt.Tooltip("channel:N", title=t("synthesis.heat.channel")),
                 alt.Tooltip("irritants:Q", title=t("synthesis.irritants")),
                 alt.Tooltip("enchantments:Q", title=t("synthesis.enchantments")),
                 alt.Tooltip("total:Q", title=t("synthesis.curve.coded"))])


AXIS_LINE = 16  # characters on a line of a column's name under a grid


def wrapped_labels(names) -> str:
    """A Vega expression writing each of `names` on lines of at most AXIS_LINE characters, cut between
    words (a longer word keeps its own line); any other label as it is."""
    lines = {str(name): textwrap.wrap(str(name), AXIS_LINE, break_long_words=False) or [str(name)]
             for name in dict.fromkeys(names)}
    return f"{json.dumps(lines)}[datum.label] || datum.label"


def _balance_grid(df: pd.DataFrame, t: Translate, *, row: str, row_title: str, column: str, column_title: str,
                  text: str, tooltip: list, width: int | str, row_sort=alt.Undefined) -> alt.Chart:
    """Rows x columns, each cell coloured by its "balance" (enchantments minus irritants) with `text`
    written in it."""
    extent = max(1, int(df["balance"].abs().max()))
    base = alt.Chart(df).encode(
        y=alt.Y(f"{row}:N", sort=row_sort, title=row_title, axis=alt.Axis(labelLimit=260)),
        # every column named, its name on lines of a few words ("Senior qui veut / parler à quelqu'un"):
        # left to itself, Vega-Lite dropped every other label once the names met
        x=alt.X(f"{column}:N", title=column_title,
                axis=alt.Axis(labelAngle=0, labelOverlap=False, labelExpr=wrapped_labels(df[column]))),
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("balance:Q", title=t("synthesis.heat.balance"), scale=valence_scale(extent)),
        tooltip=tooltip)
    written = base.mark_text(fontSize=12, fontWeight="bold").encode(text=text)
    return (rect + written).properties(width=width, height=alt.Step(36))


def code_persona_chart(cells: Sequence, t: Translate, *, width: int | str = "container") -> alt.Chart | None:
    """Team codes x personas (`research.team_codes.persona_grid`): colour = enchantments minus irritants,
    text = how many participants of the persona said something carrying the code."""
    if not cells:
        return None
    df = pd.DataFrame([{"code": c.code, "persona": c.persona, "participants": c.participants,
                        "utterances": c.utterances, "irritants": c.irritants, "enchantments": c.enchantments,
                        "balance": c.enchantments - c.irritants} for c in cells])
    return _balance_grid(
        df, t, row="code", row_title=t("codes.name"), column="persona", column_title=t("codes.col.persona_one"),
        text="participants:Q", width=width,
        tooltip=[alt.Tooltip("code:N", title=t("codes.name")),
                 alt.Tooltip("persona:N", title=t("codes.col.persona_one")),
                 alt.Tooltip("participants:Q", title=t("codes.col.participants")),
                 alt.Tooltip("utterances:Q", title=t("codes.col.utterances")),
                 alt.Tooltip("irritants:Q", title=t("synthesis.irritants")),
                 alt.Tooltip("enchantments:Q", title=t("synthesis.enchantments"))])


def brand_gap_chart(rows: Sequence[dict], t: Translate, *, width: int | str = "container") -> alt.Chart | None:
    """One bar per (value, group): how often it is evoked, coloured by the valence of what is said.

    `rows`: dicts with `value`, `group` (customer/employee), `mentions`, `share` (0..1 of the
    group's participants or utterances) and `valence` (-1..+1).
    """
    if not rows:
        return None
    df = pd.DataFrame([{**r, "group_label": t("synthesis.group." + r["group"])} for r in rows])
    df["text"] = [t("synthesis.brand.bar_text", group=g, share=s, valence=v)
                  for g, s, v in zip(df["group_label"], df["share"], df["valence"])]
    base = alt.Chart(df).encode(
        y=alt.Y("value:N", title=t("synthesis.brand.value"), axis=alt.Axis(labelLimit=220, labelFontSize=13)),
        yOffset=alt.YOffset("group_label:N"),
        x=alt.X("share:Q", title=t("synthesis.brand.share"), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, max(1.0, float(df["share"].max()) * 1.3)])),
    )
    bars = base.mark_bar(stroke="#1f2933", strokeWidth=0.5).encode(
        color=alt.Color("valence:Q", title=t("synthesis.brand.valence"),
                        scale=valence_scale(1)),
        tooltip=[alt.Tooltip("value:N", title=t("synthesis.brand.value")),
                 alt.Tooltip("group_label:N", title=t("synthesis.brand.group")),
                 alt.Tooltip("mentions:Q", title=t("synthesis.board.mentions")),
                 alt.Tooltip("share:Q", title=t("synthesis.brand.share"), format=".0%"),
                 alt.Tooltip("valence:Q", title=t("synthesis.brand.valence"), format="+.2f")],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#1f2933").encode(text="text:N")
    return (bars + labels).properties(width=width, height=alt.Step(24))


def label_mix_chart(rows: Sequence[dict], t: Translate, *, width: int | str = "container",
                    category: str = "name") -> alt.Chart | None:
    """Stacked bars of irritants / enchantments / neutral per category (persona, theme...)."""
    if not rows:
        return None
    records = []
    for r in rows:
        for label, colour in ((IRRITANT, RED), (ENCHANTMENT, GREEN), ("neutral", GREY)):
            records.append({"name": short_quote(str(r[category]), 40), "label": t(f"synthesis.label.{label}"),
                            "n": r[label], "order": (IRRITANT, ENCHANTMENT, "neutral").index(label)})
    df = pd.DataFrame(records)
    domain = [t("synthesis.label.irritant"), t("synthesis.label.enchantment"), t("synthesis.label.neutral")]
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("n:Q", stack="normalize", title=t("synthesis.mix"), axis=alt.Axis(format="%")),
        color=alt.Color("label:N", title=None, scale=alt.Scale(domain=domain, range=[RED, GREEN, LIGHT_GREY])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("n:Q", title=t("synthesis.board.mentions"))],
    ).properties(width=width, height=alt.Step(26))


def nps_chart(rows: Sequence[tuple[str, object]], t: Translate, *, width: int | str = "container") -> alt.Chart | None:
    """Detractors, passives and promoters of each segment as shares of its answers, one bar each.
    `rows`: (the segment's name as shown, its `research.scores.Nps`)."""
    rows = [(name, n) for name, n in rows if n.answers]
    if not rows:
        return None
    groups = (("detractor", RED), ("passive", LIGHT_GREY), ("promoter", GREEN))
    records = [{"segment": name, "group": t(f"scores.group.{g}"), "n": getattr(n, g + "s"), "order": k,
                "share": getattr(n, g + "s") / n.answers, "rank": i}
               for i, (name, n) in enumerate(rows) for k, (g, _) in enumerate(groups)]
    domain = [t(f"scores.group.{g}") for g, _ in groups]
    return alt.Chart(pd.DataFrame(records)).mark_bar().encode(
        y=alt.Y("segment:N", title=None, sort=alt.EncodingSortField("rank"), axis=alt.Axis(labelLimit=420)),
        x=alt.X("n:Q", stack="normalize", title=t("scores.chart.share"),
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])),
        color=alt.Color("group:N", title=None, scale=alt.Scale(domain=domain, range=[c for _, c in groups]),
                        legend=alt.Legend(orient="top")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("segment:N", title=t("scores.chart.segment")),
                 alt.Tooltip("group:N", title=t("scores.chart.group")),
                 alt.Tooltip("n:Q", title=t("scores.chart.answers")),
                 alt.Tooltip("share:Q", title=t("scores.chart.share"), format=".0%")],
    ).properties(width=width, height=alt.Step(34))


def in_language(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """The chart with its numbers and dates written as `lang` writes them ("45 %", "0,5", "mars")."""
    locale = chart_locale(lang)
    if locale is None:
        return chart
    out = chart.copy(deep=False)
    config = chart.config.to_dict() if chart.config is not alt.Undefined else {}
    out.config = alt.Config.from_dict({**config, "locale": locale})
    return out


def to_svg(chart: alt.Chart, width: int = 760, lang: str = "en") -> str:
    """The chart as a standalone SVG, rendered offline (no CDN, no browser)."""
    import vl_convert as vlc

    spec = in_language(chart.properties(width=width), lang).to_dict()
    return vlc.vegalite_to_svg(spec)


def to_png(chart: alt.Chart, width: int = 760, scale: float = 2.0, lang: str = "en") -> bytes:
    import vl_convert as vlc

    spec = in_language(chart.properties(width=width), lang).to_dict()
    return vlc.vegalite_to_png(spec, scale=scale)
