"""What leaves Écoute: the study report (HTML, DOCX), the coded utterances (CSV, XLSX) and the
codebook as a REFI-QDA `.qdc` file that NVivo, ATLAS.ti and MAXQDA import.

Pure functions from synthesis records to bytes. Quotes in a report respect consent: a verbatim
whose participant did not consent to being quoted is never printed (`Report.quotable`), nor what they
said of themselves.
The report's charts are rendered offline to SVG (HTML, embedded inline) and PNG (DOCX).
"""
from __future__ import annotations

import csv
import html
import io
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from string import Template
from xml.etree import ElementTree as ET

from research import synthesis_charts as charts
from research.synthesis import (
    ENCHANTMENT, IRRITANT, LABELS, Agreement, Archetype, CodedUtterance, Filters, Finding, ThemeSummary,
    emotional_curve, findings, journeys_by_talk, overview, persona_summaries, theme_summaries, touchpoint_heat,
)

Translate = Callable[..., str]
QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
QDC_SCHEMA_LOCATION = "urn:QDA-XML:codebook:1.0 http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
GUID_NAMESPACE = uuid.UUID("6f1c1f0e-2a47-4c59-9a1e-ec0a7e5e0001")
DIMENSIONS = ("relational", "service", "experiential", "emotional")
# the group of the team's own codes: one GUID in every study's export, so that a codebook or project
# exported by Écoute gives back only its team codes when imported (`research.team_codes.import_codebook`)
TEAM_GROUP_GUID = str(uuid.uuid5(GUID_NAMESPACE, "team-codes"))
LABEL_COLOURS = {IRRITANT: charts.RED.upper(), ENCHANTMENT: charts.GREEN.upper(), "neutral": charts.GREY.upper()}

COLUMNS = [
    "utterance_id", "interview_id", "participant_code", "participant_kind", "persona", "journey",
    "step_position", "step", "moment_of_truth", "channel", "label", "confidence", "intensity",
    "expectation", "dimension", "theme_id", "theme", "team_codes", "corrected", "machine_label", "language", "text",
]


def coded_rows(records: Iterable[CodedUtterance]) -> list[dict]:
    """One flat row per coded utterance, in transcript order."""
    rows = []
    for u in sorted(records, key=lambda u: (u.interview_id or 0, u.position, u.utterance_id)):
        rows.append({
            "utterance_id": u.utterance_id, "interview_id": u.interview_id,
            "participant_code": u.participant_code, "participant_kind": u.participant_kind,
            "persona": u.persona_name, "journey": u.journey_name,
            "step_position": u.step_position if u.step_id is not None else None,
            "step": u.step_label, "moment_of_truth": u.moment_of_truth, "channel": u.channel or "",
            "label": u.label, "confidence": round(u.confidence, 3), "intensity": round(u.intensity, 3),
            "expectation": u.expectation, "dimension": u.dimension or "", "theme_id": u.theme_id,
            "theme": u.theme_label, "team_codes": "; ".join(u.team_codes), "corrected": u.corrected,
            "machine_label": u.machine_label or "",
            "language": u.language, "text": u.text,
        })
    return rows


def coded_csv(records: Iterable[CodedUtterance]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the accents right."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(coded_rows(records))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def coded_xlsx(records: Iterable[CodedUtterance], theme_rows: Sequence[dict] = ()) -> bytes:
    """A workbook: the coded utterances (filterable, frozen header), then the themes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "utterances"
    ws.append(COLUMNS)
    fills = {k: PatternFill("solid", fgColor=v.lstrip("#")) for k, v in LABEL_COLOURS.items()}
    label_col = COLUMNS.index("label") + 1
    for row in coded_rows(records):
        ws.append([_cell(row[c]) for c in COLUMNS])
        cell = ws.cell(row=ws.max_row, column=label_col)
        if row["label"] in fills:
            cell.fill = fills[row["label"]]
            cell.font = Font(color="FFFFFF", bold=True)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"
    ws.column_dimensions[get_column_letter(len(COLUMNS))].width = 90
    ws.column_dimensions[get_column_letter(COLUMNS.index("theme") + 1)].width = 30
    ws.column_dimensions[get_column_letter(COLUMNS.index("step") + 1)].width = 30
    if theme_rows:
        sheet = wb.create_sheet("themes")
        heads = list(theme_rows[0])
        sheet.append(heads)
        for r in theme_rows:
            sheet.append([_cell(r[h]) for h in heads])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value):
    if isinstance(value, (list, tuple, dict)):
        return str(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never let a verbatim run as a spreadsheet formula
    return value


# ---------------------------------------------------------------- REFI-QDA codebook

@dataclass
class CodebookTheme:
    theme_id: str
    label: str
    size: int = 0
    description: str = ""


def stable_guid(*parts: object) -> str:
    """The same code gets the same GUID at every export, so re-imports merge instead of duplicating."""
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(str(p) for p in parts)))


def codebook_qdc(
    study: str, themes: Sequence[CodebookTheme], t: Translate, *, steps: Sequence[tuple[int, str, bool]] = (),
    dimensions: Sequence[str] = DIMENSIONS, team: Sequence[tuple[int, str, str]] = (), origin: str = "Écoute",
) -> bytes:
    """The study's codebook in the REFI-QDA Codebook 1.0 format (`.qdc`).

    Codes: the three labels, the expectation flag, the CX dimensions, the journey steps (with a set
    of the moments of truth), the themes and the team's own codes (`team`: id, name, description), each
    a codable code with its description.
    """
    ET.register_namespace("", QDC_NAMESPACE)
    ns = f"{{{QDC_NAMESPACE}}}"
    root = ET.Element(f"{ns}CodeBook", {"origin": origin})
    root.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root.set("xsi:schemaLocation", QDC_SCHEMA_LOCATION)
    moments = code_tree(ET.SubElement(root, f"{ns}Codes"), ns, study, themes, t, steps=steps, dimensions=dimensions,
                        team=team)
    moments_set(root, ns, study, t, moments)
    ET.indent(xml_safe(root))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(root: ET.Element) -> ET.Element:
    """Characters XML 1.0 cannot carry (a form feed or a vertical tab pasted from Word, a stray control
    code) become spaces in every text and attribute, so that the file parses wherever it goes."""
    for el in root.iter():
        if el.text:
            el.text = _NOT_XML.sub(" ", el.text)
        for name, value in el.attrib.items():
            el.set(name, _NOT_XML.sub(" ", value))
    return root


def code_guid(study: str, key: str) -> str:
    """The GUID of a code of the study: "label/irritant", "expectation", "dimension/service",
    "step/12", "theme/3"."""
    return stable_guid(study, key)


def code_tree(codes: ET.Element, ns: str, study: str, themes: Sequence[CodebookTheme], t: Translate, *,
              steps: Sequence[tuple[int, str, bool]] = (), dimensions: Sequence[str] = DIMENSIONS,
              team: Sequence[tuple[int, str, str]] = ()) -> list[str]:
    """Write the study's codes under a REFI-QDA `<Codes>` element (codebook and project share them);
    return the GUIDs of the steps that are moments of truth."""

    def code(parent, key, name, description="", colour=None, codable=True):
        guid = TEAM_GROUP_GUID if key == "team" else code_guid(study, key)
        attrs = {"guid": guid, "name": name, "isCodable": "true" if codable else "false"}
        if colour:
            attrs["color"] = colour
        el = ET.SubElement(parent, f"{ns}Code", attrs)
        if description:
            ET.SubElement(el, f"{ns}Description").text = description
        return el

    feelings = code(codes, "labels", t("synthesis.qdc.labels"), t("synthesis.qdc.labels_help"), codable=False)
    for label in LABELS:
        code(feelings, f"label/{label}", t(f"synthesis.label.{label}"), t(f"synthesis.qdc.{label}_help"),
             LABEL_COLOURS[label])
    code(codes, "expectation", t("synthesis.label.expectation"), t("synthesis.qdc.expectation_help"), "#D4A017")
    dims = code(codes, "dimensions", t("synthesis.qdc.dimensions"), t("synthesis.qdc.dimensions_help"), codable=False)
    for d in dimensions:
        code(dims, f"dimension/{d}", t(f"synthesis.dimension.{d}"))
    moments = []
    if steps:
        journey = code(codes, "steps", t("synthesis.qdc.steps"), t("synthesis.qdc.steps_help"), codable=False)
        for step_id, name, mot in steps:
            code(journey, f"step/{step_id}", name,
                 t("synthesis.curve.moment_of_truth") if mot else "")
            if mot:
                moments.append(code_guid(study, f"step/{step_id}"))
    parent = code(codes, "themes", t("synthesis.qdc.themes"), t("synthesis.qdc.themes_help"), codable=False)
    for th in themes:
        description = th.description or t("synthesis.qdc.theme_size", size=th.size)
        code(parent, f"theme/{th.theme_id}", th.label or th.theme_id, description)
    if team:
        own = code(codes, "team", t("synthesis.qdc.team"), t("synthesis.qdc.team_help"), codable=False)
        for code_id, name, description in team:
            code(own, f"team/{code_id}", name, description)
    return moments


def moments_set(root: ET.Element, ns: str, study: str, t: Translate, moments: Sequence[str]) -> None:
    """The set of the steps that are moments of truth, when there are any."""
    if not moments:
        return
    sets = ET.SubElement(root, f"{ns}Sets")
    s = ET.SubElement(sets, f"{ns}Set", {"guid": stable_guid(study, "set/mot"),
                                        "name": t("synthesis.curve.moment_of_truth")})
    ET.SubElement(s, f"{ns}Description").text = t("synthesis.qdc.mot_help")
    for g in moments:
        ET.SubElement(s, f"{ns}MemberCode", {"targetGUID": g})


# ---------------------------------------------------------------- the study report

@dataclass
class BrandEvidence:
    """One row of brand perception: a value (or an unclaimed attribute) as a group evokes it."""

    value: str
    group: str              # customer | employee
    mentions: int
    share: float
    valence: float
    claimed: bool = True
    quotes: list[CodedUtterance] = field(default_factory=list)


@dataclass
class Report:
    """Everything a study report says, gathered before it is written in a format."""

    title: str
    records: list[CodedUtterance]
    generated_at: date = field(default_factory=date.today)  # written as the reader's language writes a day
    run_label: str = ""
    agreement: Agreement | None = None
    brand: list[BrandEvidence] = field(default_factory=list)
    competitors: list[tuple[str, str, str]] = field(default_factory=list)  # (brand, theme, answer)
    archetypes: list[Archetype] = field(default_factory=list)
    scores: list = field(default_factory=list)  # research.scores.Score: NPS and CES noted at the interviews
    # each journey's steps as defined (research.experience_map.MapStep), for its experience map; without
    # them, the map has a column per step someone spoke of
    journey_steps: dict = field(default_factory=dict)
    personas: list = field(default_factory=list)  # research.personas.Persona: the personas as defined
    team_codes: list = field(default_factory=list)  # research.team_codes.TeamCode: the team's own codebook
    quotable: Callable[[int | None], bool] = lambda participant_id: True  # consented to being quoted
    top: int = 8
    quotes_per_finding: int = 3

    def quotes(self, items: Iterable[CodedUtterance], n: int | None = None) -> list[CodedUtterance]:
        """The best consented quotes, one per participant first so that several voices are heard."""
        allowed = [u for u in items if self.quotable(u.participant_id)]
        seen, first, rest = set(), [], []
        for u in allowed:
            who = (u.interview_id, u.participant_id or u.participant_code)
            (rest if who in seen else first).append(u)
            seen.add(who)
        return (first + rest)[: n or self.quotes_per_finding]


@dataclass
class ReportItem:
    """One heading of a report section: a finding, a theme, a persona, an archetype, a brand value."""

    title: str
    tag: str = ""  # a flag beside the title: moment of truth, not claimed by the platform
    tag_tone: str = ""  # the flag's colour: "irritant" (red), "enchantment" (green), else amber
    meta: str = ""  # its figures
    lines: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)  # after the lines, one point each
    quotes: list[CodedUtterance] = field(default_factory=list)
    no_quote: str = ""  # said when it has no quote that may be shown


def _journeys(records: Sequence[CodedUtterance]) -> list[tuple[int | None, str]]:
    """The journeys to draw, most talked about first; (None, "") for all utterances when none is named."""
    return journeys_by_talk(records) or [(None, "")]


def report_charts(report: Report, t: Translate) -> dict[str, object]:
    records = report.records
    made = {
        "irritants": charts.findings_chart(findings(records, IRRITANT), t, top=report.top),
        "enchantments": charts.findings_chart(findings(records, ENCHANTMENT), t, top=report.top),
        "brand": charts.brand_gap_chart([
            {"value": b.value, "group": b.group, "mentions": b.mentions, "share": b.share, "valence": b.valence}
            for b in report.brand if b.claimed], t),
    }
    if report.scores:
        from research import scores

        made["scores"] = charts.nps_chart(score_segments(scores.summary(report.scores), t), t)
    for journey_id, _ in _journeys(records):  # a curve and a grid per journey: steps of one journey, in order
        only = Filters(journey_id=journey_id)
        made[f"curve/{journey_id}"] = charts.emotional_curve_chart(
            emotional_curve(records, only, by_persona=True, min_utterances=3), t)
        made[f"heat/{journey_id}"] = charts.heatmap_chart(touchpoint_heat(records, only), t)
    return {k: v for k, v in made.items() if v is not None}


def report_pngs(report: Report, t: Translate, lang: str) -> dict[str, bytes]:
    """The report's charts as PNG images, for the formats that cannot hold SVG (Word, PowerPoint)."""
    return {k: charts.to_png(c, lang=lang) for k, c in report_charts(report, t).items()}


def cite(u: CodedUtterance) -> str:
    """Who said it, as a quote's credit line: participant code, persona, journey step."""
    return " · ".join(x for x in (u.participant_code, u.persona_name, u.step_label) if x)


def report_sections(report: Report, t: Translate) -> list[dict]:
    """The report as a list of sections: key (what it is: "summary", "irritant", "heat"...), title,
    paragraphs, chart key, table, items (`ReportItem`)."""
    figures = overview(report.records)
    sections = [{
        "key": "summary", "title": t("synthesis.report.summary"),
        "paragraphs": [t("synthesis.report.summary_text", **figures)],
    }]
    if report.agreement and report.agreement.reviewed:
        kappa = report.agreement.kappa
        sections[0]["paragraphs"].append(t(
            "synthesis.report.agreement_text", reviewed=report.agreement.reviewed,
            share=report.agreement.share or 0, kappa="—" if kappa is None else kappa))
    journeys = _journeys(report.records)
    several = len(journeys) > 1

    def journey_title(key: str, name: str) -> str:
        return f"{t(key)} · {name}" if several else t(key)

    for journey_id, name in journeys:
        sections.append({"key": "curve", "title": journey_title("synthesis.journey.curve", name),
                         "chart": f"curve/{journey_id}",
                         "paragraphs": [t("synthesis.report.curve_text")]})
    for k, (journey_id, name) in enumerate(journeys):  # the maps' style rules once, with the first
        sections.append(_map_section(report, t, journey_id, journey_title("synthesis.map.title", name),
                                     with_style=k == 0))
    no_quote = t("synthesis.report.no_quotable")

    def finding(f: Finding) -> ReportItem:
        return ReportItem(f.theme_label or t("synthesis.untitled"),
                          tag=t("synthesis.curve.moment_of_truth") if f.moment_of_truth else "",
                          meta=_finding_line(f, t), quotes=report.quotes(f.verbatims), no_quote=no_quote)

    for label in (IRRITANT, ENCHANTMENT):
        sections.append({"key": label, "title": t(f"synthesis.report.top_{label}"), "chart": f"{label}s",
                         "items": [finding(f) for f in findings(report.records, label)[: report.top]]})
    expected = findings(report.records, "expectation")[: report.top]
    if expected:
        sections.append({"key": "expectation", "title": t("synthesis.report.top_expectation"),
                         "items": [finding(f) for f in expected]})
    if report.scores:
        sections.append(_scores_section(report, t, finding))
    for journey_id, name in journeys:
        sections.append({"key": "heat", "title": journey_title("synthesis.journey.heat", name),
                         "chart": f"heat/{journey_id}",
                         "paragraphs": [t("synthesis.report.heat_text")]})
    themes = theme_summaries(report.records, quotes=12)
    sections.append({"key": "themes", "title": t("synthesis.themes.title"), "table": [
        [t("synthesis.theme"), t("synthesis.themes.size"), t("synthesis.irritants"), t("synthesis.enchantments"),
         t("synthesis.curve.step")]] + [
        [s.label or "—", s.size, s.irritants, s.enchantments, s.steps[0][0] if s.steps else "—"] for s in themes],
        "items": [ReportItem(s.label or t("synthesis.untitled"), meta=_theme_line(s, t),
                             quotes=report.quotes(s.quotes, 2), no_quote=no_quote)
                  for s in themes[: report.top] if s.theme_id is not None]})
    sections.extend(_team_code_sections(report, t, no_quote))
    personas = [p for p in persona_summaries(report.records, quotes=12) if p.name]
    if personas:
        sections.append({"key": "personas", "title": t("synthesis.personas.title"), "items": [ReportItem(
            p.name, meta=t("synthesis.report.persona_line", participants=p.participants, irritants=p.irritants,
                           enchantments=p.enchantments),
            lines=[f"{t(key)} {', '.join(n for n, _ in named)}" for key, named in (
                ("synthesis.personas.irritated_by", p.top_irritants),
                ("synthesis.personas.delighted_by", p.top_enchantments)) if named],
            quotes=report.quotes(p.quotes, 2)) for p in personas],
            "cards": _persona_cards(report, personas, t)})
    if report.archetypes:
        sections.append({"key": "archetypes", "title": t("synthesis.report.archetypes"),
                         "paragraphs": [t("synthesis.report.archetypes_text")],
                         "items": [_archetype_item(a, report, t) for a in report.archetypes]})
    if report.brand:
        sections.append({"key": "brand", "title": t("synthesis.brand.title"), "chart": "brand", "items": [ReportItem(
            f"{b.value} — {t('synthesis.group.' + b.group)}",
            tag="" if b.claimed else t("synthesis.brand.unclaimed"),
            meta=t("synthesis.report.brand_line", mentions=b.mentions, share=b.share, valence=b.valence),
            quotes=report.quotes(b.quotes, 2)) for b in report.brand]})
    if report.competitors:
        sections.append({"key": "competitors", "title": t("synthesis.brand.competitors"),
                         "table": _portrait_table(report.competitors, t)})
    sections.append({"key": "method", "title": t("synthesis.report.method"),
                     "paragraphs": [t("synthesis.report.method_text")]})
    return sections


def nps_text(result, t: Translate) -> str:
    """An NPS as "+12", "−21", "0" (not "+0"), "—" without answers."""
    if result.score is None:
        return "—"
    return t("scores.nps_value", nps=result.score) if round(result.score) else "0"


def score_segments(summary, t: Translate) -> list[tuple[str, object]]:
    """(name, Nps) of all customers, each persona, and the employees (a `research.scores.Summary`):
    the bars of `charts.nps_chart`, named with their NPS and answers."""
    rows = [(t("scores.everyone"), summary.nps)]
    rows += [(seg.name or t("scores.no_persona"), seg.nps) for seg in summary.personas]
    if summary.employees.answers:
        rows.append((t("scores.employees"), summary.employees))
    return [(t("scores.segment", name=name, nps=nps_text(n, t), n=n.answers), n) for name, n in rows]


def written(t: Translate, value, key: str, **params) -> str:
    """`t(key, **params)`, or "—" when `value` is None (a mean or share of no answer)."""
    return "—" if value is None else t(key, **params)


def persona_score_rows(summary, t: Translate) -> list[dict]:
    """Each persona's scores as written on the page and in the report (a `research.scores.Summary`):
    segment, answers, nps, margin ("too few answers" under `scores.MARGIN_FROM`), ces, easy."""
    return [{"segment": seg.name or t("scores.no_persona"), "answers": seg.nps.answers, "nps": nps_text(seg.nps, t),
             "margin": t("scores.too_few") if seg.nps.margin is None
             else t("scores.margin_value", margin=seg.nps.margin),
             "ces": written(t, seg.effort.mean, "scores.ces_value", ces=seg.effort.mean),
             "easy": written(t, seg.effort.easy_share, "scores.share_value", share=seg.effort.easy_share)}
            for seg in summary.personas]


def _persona_cards(report: Report, personas: Sequence, t: Translate) -> list[dict]:
    """Each persona as defined beside the persona as heard: its sheet (profile, goals, frustrations,
    preferred channels, tone) and what its participants said (figures, themes, channels, NPS, quotes)."""
    defined = {p.name: p for p in report.personas}
    scored = {}
    if report.scores:
        from research import scores

        scored = {row["segment"]: row for row in persona_score_rows(scores.summary(report.scores), t)}
    return [{"name": p.name, "definition": defined.get(p.name),
             "line": t("synthesis.personas.line", participants=p.participants, utterances=p.utterances, mood=p.mood),
             "nps": scored.get(p.name), "irritants": p.top_irritants[:3], "enchantments": p.top_enchantments[:3],
             "channels": p.channels[:4], "quotes": report.quotes(p.quotes, 2)} for p in personas]


def _team_code_sections(report: Report, t: Translate, no_quote: str) -> list[dict]:
    """The team's own codes that were used: definition, figures and the most strongly felt quotes."""
    from research.team_codes import summaries

    used = [s for s in summaries(report.team_codes, report.records) if s.utterances]
    if not used:
        return []

    def quotes(name: str) -> list[CodedUtterance]:
        mine = sorted((u for u in report.records if name in u.team_codes), key=lambda u: (-u.intensity, u.utterance_id))
        return report.quotes(mine, 2)

    return [{"key": "team_codes", "title": t("codes.title"), "paragraphs": [t("synthesis.report.codes_text")],
             "items": [ReportItem(s.code.name, meta=t("synthesis.report.code_line", utterances=s.utterances,
                                                       participants=s.participants, irritants=s.irritants,
                                                       enchantments=s.enchantments,
                                                       step=s.steps[0][0] if s.steps else "—"),
                                  lines=[s.code.description] if s.code.description else [],
                                  quotes=quotes(s.code.name), no_quote=no_quote) for s in used]}]


def _map_section(report: Report, t: Translate, journey_id: int | None, title: str, *, with_style: bool = True) -> dict:
    """A journey's experience map: its columns for the slides, as an HTML table for the page report.
    Word has no room for a map's columns side by side: it leaves the section out."""
    from research.experience_map import experience_map, map_html, steps_in

    steps = report.journey_steps.get(journey_id) or steps_in(report.records, journey_id)
    columns = experience_map(report.records, steps, Filters(journey_id=journey_id), quotable=report.quotable)
    return {"key": "map", "title": title, "paragraphs": [t("synthesis.map.help")], "map": columns,
            "html": map_html(columns, t, with_style=with_style, printable=True), "formats": ("html", "pptx")}


def _portrait_table(answers: Sequence[tuple[str, str, str]], t: Translate) -> list[list[str]]:
    """The Chinese portrait side by side: a row per theme ("if it were an animal"), a column per brand."""
    brands = list(dict.fromkeys(brand for brand, _, _ in answers))
    themes: dict[str, dict[str, str]] = {}
    for brand, theme, answer in answers:
        themes.setdefault(theme, {})[brand] = answer
    return [[t("synthesis.brand.theme"), *brands]] + [
        [theme, *(said.get(brand, "—") for brand in brands)] for theme, said in themes.items()]


def _scores_section(report: Report, t: Translate, finding: Callable[[Finding], ReportItem]) -> dict:
    """NPS and effort, per persona, and what detractors and promoters said most."""
    from research import scores

    summary = scores.summary(report.scores)
    effort = summary.effort
    few = summary.nps.margin is None  # too few answers for a margin of error
    text = t("synthesis.report.scores_text_few" if few else "synthesis.report.scores_text",
             nps=nps_text(summary.nps, t), n=summary.nps.answers, margin=summary.nps.margin or 0,
             ces=written(t, effort.mean, "scores.ces_value", ces=effort.mean),
             easy=written(t, effort.easy_share, "scores.share_value", share=effort.easy_share))
    table = [[t("scores.chart.segment"), t("scores.fig.answers"), "NPS", t("scores.fig.ces")]] + [
        [row["segment"], row["answers"], row["nps"], row["ces"]] for row in persona_score_rows(summary, t)]
    items = []
    for group, label in ((scores.DETRACTOR, IRRITANT), (scores.PROMOTER, ENCHANTMENT)):
        members = len(scores.participants_in(summary.customers, group))
        for f in scores.findings_of(report.records, summary.customers, group, label)[:3]:
            item = finding(f)
            item.tag, item.tag_tone = t(f"scores.group.{group}"), label
            item.meta = t(f"scores.report.said_by.{group}", participants=f.participants, of=members)
            items.append(item)
    return {"key": "scores", "title": t("scores.title"), "chart": "scores", "paragraphs": [text], "table": table,
            "items": items}


def _theme_line(s: ThemeSummary, t: Translate) -> str:
    line = t("synthesis.report.theme_line", size=s.size, participants=s.participants, irritants=s.irritants,
             enchantments=s.enchantments)
    return f"{line} · {t('synthesis.report.mostly_at', step=s.steps[0][0])}" if s.steps else line


def _archetype_item(a: Archetype, report: Report, t: Translate) -> ReportItem:
    meta = [t("synthesis.personas.archetype_line", members=len(a.members)),
            t("synthesis.personas.matches", persona=a.matched_persona) if a.matched_persona
            else t("synthesis.personas.no_match")]
    lines = []
    if a.recruited_as:
        lines.append(t("synthesis.personas.recruited", personas=", ".join(f"{n} ({k})" for n, k in a.recruited_as)))
    if a.recruited_elsewhere:
        main, n = a.recruited_elsewhere
        lines.append(t("synthesis.personas.recruited_elsewhere", matched=a.matched_persona, n=n,
                       members=len(a.members), recruited=main))
    said = [f"« {x.text} » ({x.participant_code})" if x.participant_code else f"« {x.text} »"
            for x in a.traits if report.quotable(x.participant_id)][:6]
    if said:
        lines.append(t("synthesis.report.archetype_traits"))
    return ReportItem(a.label or t("synthesis.untitled"), meta=" · ".join(meta), lines=lines, bullets=said,
                      quotes=report.quotes(a.quotes, 2))


def _finding_line(f: Finding, t: Translate) -> str:
    return t("synthesis.report.finding_line", participants=f.participants, mentions=f.mentions,
             intensity=f.mean_intensity, step=f.main_step or "—")


CSS = Template("""
body{font-family:"Helvetica Neue",Arial,sans-serif;color:#1f2933;max-width:960px;margin:2rem auto;padding:0 1rem;line-height:1.5}
h1{color:#1f3a5f;border-bottom:3px solid #1f3a5f;padding-bottom:.3rem}
h2{color:#1f3a5f;margin-top:2.2rem;border-bottom:1px solid #d9e2ec}
h3{margin-bottom:.2rem}
.meta{color:#616e7c;font-size:.9rem}
.chart{margin:1rem 0;text-align:center}.chart svg{max-width:100%;height:auto}
blockquote{margin:.4rem 0 .4rem 1rem;padding:.3rem .8rem;border-left:4px solid #9fb3c8;background:#f5f7fa;font-style:italic}
blockquote.irritant{border-color:$red}blockquote.enchantment{border-color:$green}
cite{display:block;font-style:normal;font-size:.8rem;color:#616e7c}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #d9e2ec;padding:.3rem .5rem;text-align:left}
th{background:#f0f4f8}.finding{margin:1rem 0;padding:.2rem 0}.tag{font-size:.75rem;background:#f0b429;color:#fff;padding:.1rem .4rem;border-radius:3px;margin-left:.4rem}
.tag.irritant{background:$red}.tag.enchantment{background:$green}
@media print{.chart{page-break-inside:avoid}.finding{page-break-inside:avoid}
  h2,h3,h2+p{break-after:avoid;page-break-after:avoid}h2.wide{break-before:page;page-break-before:always}}
""").substitute(red=charts.RED, green=charts.GREEN)


def report_html(report: Report, t: Translate, lang: str = "fr") -> str:
    """A self-contained HTML file: styles and charts (inline SVG) embedded, nothing fetched."""
    rendered = {k: charts.to_svg(c, lang=lang) for k, c in report_charts(report, t).items()}
    return document_html(report.title, t("synthesis.report.generated", date=report.generated_at, run=report.run_label),
                         report_sections(report, t), rendered, lang)


def document_html(title: str, subtitle: str, sections: Sequence[dict], rendered: dict[str, str], lang: str) -> str:
    """Sections (see `report_sections`) as a self-contained HTML page; `rendered` holds the charts as SVG."""
    e = html.escape
    out = [f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">',
           f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{e(title)}</h1>", f'<p class="meta">{e(subtitle)}</p>']

    def quote(u: CodedUtterance) -> str:
        return (f'<blockquote class="{e(u.label)}">« {e(u.text)} »'
                f"<cite>{e(cite(u))}</cite></blockquote>")

    for s in sections:
        wide = ' class="wide"' if s.get("html") else ""  # a map: printed from the top of a page
        out.append(f"<h2{wide}>{e(s['title'])}</h2>")
        for p in s.get("paragraphs", []):
            out.append(f"<p>{e(p)}</p>")
        if s.get("chart") in rendered:
            out.append(f'<div class="chart">{_strip_xml_header(rendered[s["chart"]])}</div>')
        if s.get("html"):
            out.append(s["html"])  # drawn by Écoute, every text in it escaped
        if s.get("table"):
            head, *rows = s["table"]
            out.append("<table><thead><tr>" + "".join(f"<th>{e(str(h))}</th>" for h in head) + "</tr></thead><tbody>")
            out.extend("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
            out.append("</tbody></table>")
        for item in s.get("items", []):
            tag = f'<span class="tag {e(item.tag_tone)}">{e(item.tag)}</span>' if item.tag else ""
            out.append(f'<div class="finding"><h3>{e(item.title)}{tag}</h3>')
            if item.meta:
                out.append(f'<p class="meta">{e(item.meta)}</p>')
            out.extend(f"<p>{e(line)}</p>" for line in item.lines)
            if item.bullets:
                out.append("<ul>" + "".join(f"<li>{e(b)}</li>" for b in item.bullets) + "</ul>")
            out.extend(quote(u) for u in item.quotes)
            if not item.quotes and item.no_quote:
                out.append(f'<p class="meta">{e(item.no_quote)}</p>')
            out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out)


def _strip_xml_header(svg: str) -> str:
    return svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg


def report_docx(report: Report, t: Translate, lang: str = "fr", images: dict[str, bytes] | None = None) -> bytes:
    """The same report as a Word document, charts as PNG images (`report_pngs`, drawn here if not given)."""
    images = report_pngs(report, t, lang) if images is None else images
    return document_docx(report.title, t("synthesis.report.generated", date=report.generated_at, run=report.run_label),
                         report_sections(report, t), images)


def document_docx(title: str, subtitle: str, sections: Sequence[dict], images: dict[str, bytes]) -> bytes:
    """Sections (see `report_sections`) as a Word document; `images` holds the charts as PNG."""
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(title, level=0)
    doc.add_paragraph(subtitle).italic = True
    colours = {IRRITANT: RGBColor(0xC0, 0x39, 0x2B), ENCHANTMENT: RGBColor(0x1E, 0x84, 0x49)}

    def quote(u: CodedUtterance) -> None:
        p = doc.add_paragraph(style="Quote")
        run = p.add_run(f"« {u.text} »")
        if u.label in colours:
            run.font.color.rgb = colours[u.label]
        p.add_run(f"\n{cite(u)}").font.size = Pt(8)

    for s in sections:
        if "docx" not in s.get("formats", ("docx",)):
            continue
        doc.add_heading(s["title"], level=1)
        for text in s.get("paragraphs", []):
            doc.add_paragraph(text)
        if s.get("chart") in images:
            doc.add_picture(io.BytesIO(images[s["chart"]]), width=Cm(16))
        if s.get("table"):
            head, *rows = s["table"]
            table = doc.add_table(rows=1, cols=len(head))
            table.style = "Light Grid Accent 1"
            for cell, text in zip(table.rows[0].cells, head):
                cell.text = str(text)
            for r in rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, r):
                    cell.text = str(text)
        for item in s.get("items", []):
            doc.add_heading(f"{item.title} ({item.tag})" if item.tag else item.title, level=2)
            if item.meta:
                doc.add_paragraph(item.meta)
            for line in item.lines:
                doc.add_paragraph(line)
            for point in item.bullets:
                doc.add_paragraph(point, style="List Bullet")
            for u in item.quotes:
                quote(u)
            if not item.quotes and item.no_quote:
                doc.add_paragraph(item.no_quote)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
