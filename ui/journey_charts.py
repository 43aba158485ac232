"""Charts of a journey: the map of its steps and the touchpoint heatmap (Altair, drawn offline)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from research.synthesis_charts import GREEN, RED
from ui.i18n import t

SATISFACTION_COLOURS = [RED, "#e67e22", "#f1c40f", "#6fae8f", GREEN]  # 1 to 5, as irritants and enchantments


def journey_map(steps: list, height: int = 320) -> alt.Chart:
    """Steps along the journey under bands of their macro-steps; moments of truth as diamonds, branches below."""
    rows = [{"order": s.order, "step": s.label, "macro": s.macro_step_name, "y": -0.2 if s.branch_of else 1.3,
             "kind": t("journeys.map.branch") if s.branch_of else (
                 t("journeys.map.mot") if s.is_moment_of_truth else t("journeys.map.step"))} for s in steps]
    df = pd.DataFrame(rows)
    if df.empty:
        return alt.Chart(pd.DataFrame({"x": []})).mark_point()
    bands = df.groupby("macro", sort=False)["order"].agg(["min", "max"]).reset_index()
    bands["start"], bands["end"] = bands["min"] - 0.45, bands["max"] + 0.45
    bands["mid"] = (bands["min"] + bands["max"]) / 2
    x_scale = alt.Scale(domain=[0.5, df["order"].max() + 0.5], nice=False)
    y_scale = alt.Scale(domain=[-1.6, 1.9])
    x_none = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)
    band = alt.Chart(bands).mark_rect(opacity=0.5, cornerRadius=4, color="#e3eef0").encode(
        x=alt.X("start:Q", scale=x_scale, axis=x_none), x2="end:Q", y=alt.value(0), y2=alt.value(34))
    band_text = alt.Chart(bands).mark_text(fontWeight="bold", fontSize=12, color="#1f6f78", dy=-3).encode(
        x=alt.X("mid:Q", scale=x_scale), y=alt.value(18), text="macro:N")
    main = df[df.y > 0]
    line = alt.Chart(main).mark_line(color="#9aa9b3", strokeWidth=2).encode(
        x=alt.X("order:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale, axis=None))
    base = alt.Chart(df).encode(
        x=alt.X("order:Q", scale=x_scale, axis=x_none), y=alt.Y("y:Q", scale=y_scale, axis=None),
        tooltip=[alt.Tooltip("macro:N", title=t("journeys.macro")), alt.Tooltip("step:N", title=t("journeys.step"))])
    points = base.mark_point(filled=True, size=300, opacity=1).encode(
        shape=alt.Shape("kind:N", legend=alt.Legend(title=None, orient="bottom"),
                        scale=alt.Scale(domain=[t("journeys.map.step"), t("journeys.map.mot"), t("journeys.map.branch")],
                                        range=["circle", "diamond", "triangle-down"])),
        color=alt.Color("kind:N", legend=None,
                        scale=alt.Scale(domain=[t("journeys.map.step"), t("journeys.map.mot"), t("journeys.map.branch")],
                                        range=["#5b8c85", "#e67e22", "#9aa9b3"])))
    labels = base.mark_text(angle=25, align="left", dx=4, dy=14, fontSize=11, color="#1d2b36").encode(text="step:N")
    return (band + band_text + line + points + labels).properties(height=height).configure_view(strokeWidth=0)


def touchpoint_heatmap(matrix: list[dict], height_per_channel: int = 34) -> alt.Chart:
    """Steps × channels: colour = satisfaction, grey = missing, ✕ = break, ❐ = redundant."""
    df = pd.DataFrame(matrix)
    if df.empty:
        return alt.Chart(pd.DataFrame({"x": []})).mark_rect()
    df["step_label"] = df["step_order"].astype(str) + ". " + df["step"]
    df["state"] = df["presence"].map({"present": t("journeys.presence.present"), "missing": t("journeys.presence.missing"),
                                      "redundant": t("journeys.presence.redundant")}).fillna("")
    df["mark"] = ""
    df.loc[df["is_break"].astype(bool), "mark"] = "✕"
    df.loc[(df["presence"] == "redundant") & ~df["is_break"].astype(bool), "mark"] = "❐"
    df.loc[df["presence"] == "missing", "mark"] = "∅"
    df["sat"] = df["satisfaction"]
    order = df.sort_values("step_order")["step_label"].drop_duplicates().tolist()
    channels = df["channel"].drop_duplicates().tolist()
    # every step named: left to itself, Vega-Lite dropped every other slanted name once they met
    enc = dict(x=alt.X("step_label:N", sort=order,
                       axis=alt.Axis(title=None, labelAngle=-35, labelLimit=220, labelOverlap=False)),
               y=alt.Y("channel:N", sort=channels, axis=alt.Axis(title=None)))
    tooltip = [alt.Tooltip("step:N", title=t("journeys.step")), alt.Tooltip("channel:N", title=t("journeys.channel")),
               alt.Tooltip("state:N", title=t("journeys.tp.presence")),
               alt.Tooltip("sat:Q", title=t("journeys.tp.satisfaction")),
               alt.Tooltip("volume:Q", title=t("journeys.tp.volume"), format=","),
               alt.Tooltip("note:N", title=t("journeys.tp.note"))]
    empty = alt.Chart(df).mark_rect(color="#f4f6f7", stroke="white", strokeWidth=2).encode(**enc)
    missing = alt.Chart(df[df["presence"] == "missing"]).mark_rect(color="#d5dbdf", stroke="white",
                                                                   strokeWidth=2).encode(**enc, tooltip=tooltip)
    rated = alt.Chart(df[df["sat"].notna()]).mark_rect(stroke="white", strokeWidth=2).encode(
        **enc, tooltip=tooltip,
        color=alt.Color("sat:Q", title=t("journeys.tp.satisfaction"),
                        scale=alt.Scale(domain=[1, 2, 3, 4, 5], range=SATISFACTION_COLOURS),
                        legend=alt.Legend(orient="top", direction="horizontal", gradientLength=160)))
    marks = alt.Chart(df[df["mark"] != ""]).mark_text(fontSize=15, fontWeight="bold", color="#1d2b36").encode(
        **enc, text="mark:N", tooltip=tooltip)
    # a height per channel, not for the whole chart: the page fits a chart's legend and its slanted step
    # names inside a total height, and long step names left the cells none
    return (empty + missing + rated + marks).properties(height=alt.Step(height_per_channel))
