"""The whole coded study as a REFI-QDA project (`.qdpx`), for NVivo, ATLAS.ti, MAXQDA or QualCoder.

A `.qdpx` is a zip: `project.qde` (XML, namespace `urn:QDA-XML:project:1.0`) and one plain-text file per
source under `Sources/`. Each interview becomes a text source, its turns one line each
("P-004: …"); each participant utterance becomes a selection of that text coded with what Écoute
(or the team) said of it: its feeling, the expectation flag, its CX dimension, its journey step, its
theme and the team's own codes. The codes are those of the `.qdc` codebook, with the same GUIDs, so the
two files agree.
Participants are cases, known by their codes, with their persona and type (customer, employee…) as
variables.

Positions count characters (code points) from 0, the end excluded, as the specification and
QualCoder do; a tool that counts UTF-16 units (NVivo) places a selection after an emoji one unit early.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from research.synthesis import CodedUtterance
from research.synthesis_export import (
    DIMENSIONS, CodebookTheme, code_guid, code_tree, moments_set, stable_guid, xml_safe,
)

Translate = Callable[..., str]
QDE_NAMESPACE = "urn:QDA-XML:project:1.0"
QDE_SCHEMA_LOCATION = "urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
SELECTION_NAME_CHARS = 60


@dataclass
class SourceLine:
    """One utterance of a transcript, as the source text will carry it."""

    utterance_id: int
    speaker: str
    turn: Hashable     # utterances of one turn share a line
    text: str


@dataclass
class InterviewSource:
    """One interview, its transcript's utterances in order."""

    interview_id: int
    name: str
    lines: list[SourceLine]
    description: str = ""


@dataclass
class SourceText:
    """A source's plain text and where each utterance sits in it (start, end excluded)."""

    text: str
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)


def source_text(lines: Sequence[SourceLine]) -> SourceText:
    """One line per turn, "speaker: words", the utterances of a turn joined by a space."""
    parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    offset = 0
    current = None
    for line in lines:
        if line.text == "":
            continue
        key = (line.turn, line.speaker)
        if key != current:
            lead = ("\n" if parts else "") + (f"{line.speaker}: " if line.speaker else "")
            current = key
        else:
            lead = " "
        parts.append(lead)
        offset += len(lead)
        parts.append(line.text)
        spans[line.utterance_id] = (offset, offset + len(line.text))
        offset += len(line.text)
    text = "".join(parts)
    return SourceText(text + "\n" if text else text, spans)


def utterance_codes(u: CodedUtterance, theme_ids: set[str], dimensions: Sequence[str] = DIMENSIONS,
                    team: dict[str, int] | None = None) -> list[str]:
    """The code keys an utterance is coded with, each one a code of the codebook (`team`: the team's
    codes by name)."""
    keys = [f"label/{u.label}"]
    if u.expectation:
        keys.append("expectation")
    if u.dimension in dimensions:
        keys.append(f"dimension/{u.dimension}")
    if u.step_id is not None:
        keys.append(f"step/{u.step_id}")
    if u.theme_id is not None and str(u.theme_id) in theme_ids:
        keys.append(f"theme/{u.theme_id}")
    keys += [f"team/{team[name]}" for name in u.team_codes if team and name in team]
    return keys


def project_qdpx(
    study: str, sources: Sequence[InterviewSource], records: Sequence[CodedUtterance],
    themes: Sequence[CodebookTheme], t: Translate, *, steps: Sequence[tuple[int, str, bool]] = (),
    team_codes: Sequence[tuple[int, str, str]] = (), origin: str = "Écoute", now: datetime | None = None,
) -> bytes:
    """The `.qdpx` archive of the study: codebook, participants as cases, interviews coded
    (`team_codes`: the team's own codebook, id, name, description)."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    ET.register_namespace("", QDE_NAMESPACE)
    ns = f"{{{QDE_NAMESPACE}}}"
    machine = stable_guid(study, "user/analysis")
    team_user = stable_guid(study, "user/team")
    root = ET.Element(f"{ns}Project", {"name": study, "origin": origin, "creatingUserGUID": team_user,
                                       "creationDateTime": stamp})
    root.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root.set("xsi:schemaLocation", QDE_SCHEMA_LOCATION)

    users = ET.SubElement(root, f"{ns}Users")
    ET.SubElement(users, f"{ns}User", {"guid": machine, "name": t("synthesis.qdpx.analysis_user")})
    ET.SubElement(users, f"{ns}User", {"guid": team_user, "name": t("synthesis.qdpx.team_user")})

    codebook = ET.SubElement(root, f"{ns}CodeBook")
    moments = code_tree(ET.SubElement(codebook, f"{ns}Codes"), ns, study, themes, t, steps=steps, team=team_codes)
    own = {name: code_id for code_id, name, _ in team_codes}

    variables = {"persona": t("synthesis.qdpx.persona"), "kind": t("synthesis.qdpx.kind")}
    var_el = ET.SubElement(root, f"{ns}Variables")
    for key, name in variables.items():
        v = ET.SubElement(var_el, f"{ns}Variable", {"guid": stable_guid(study, f"variable/{key}"), "name": name,
                                                   "typeOfVariable": "Text"})
        ET.SubElement(v, f"{ns}Description").text = t(f"synthesis.qdpx.{key}_help")

    by_utterance = {u.utterance_id: u for u in records}
    theme_ids = {str(th.theme_id) for th in themes}
    selections: dict[int, list[str]] = {}        # participant id -> their selections' GUIDs
    texts: dict[str, str] = {}
    source_els = []
    for source in sources:
        body = source_text(source.lines)
        guid = stable_guid(study, f"source/{source.interview_id}")
        texts[guid] = body.text
        el = ET.Element(f"{ns}TextSource", {"guid": guid, "name": source.name,
                                            "plainTextPath": f"internal://{guid}.txt", "creatingUser": team_user,
                                            "creationDateTime": stamp})
        if source.description:
            ET.SubElement(el, f"{ns}Description").text = source.description
        for line in source.lines:
            u = by_utterance.get(line.utterance_id)
            if u is None or line.utterance_id not in body.spans:
                continue
            start, end = body.spans[line.utterance_id]
            sel_guid = stable_guid(study, f"selection/{u.utterance_id}")
            sel = ET.SubElement(el, f"{ns}PlainTextSelection", {
                "guid": sel_guid, "name": _selection_name(line.text), "startPosition": str(start),
                "endPosition": str(end), "creatingUser": machine, "creationDateTime": stamp})
            ET.SubElement(sel, f"{ns}Description").text = _provenance(u, t)
            for key in utterance_codes(u, theme_ids, team=own):
                by_team = key.startswith("team/") or key.startswith("label/") and u.machine_label is not None
                coding = ET.SubElement(sel, f"{ns}Coding", {
                    "guid": stable_guid(study, f"coding/{u.utterance_id}/{key}"),
                    "creatingUser": team_user if by_team else machine, "creationDateTime": stamp})
                ET.SubElement(coding, f"{ns}CodeRef", {"targetGUID": code_guid(study, key)})
            if u.participant_id is not None:
                selections.setdefault(u.participant_id, []).append(sel_guid)
        source_els.append(el)

    cases = {}
    for u in records:
        if u.participant_id is not None and u.participant_id in selections:
            cases.setdefault(u.participant_id, u)
    if cases:
        cases_el = ET.SubElement(root, f"{ns}Cases")
        for pid, u in sorted(cases.items(), key=lambda kv: (kv[1].participant_code, kv[0])):
            case = ET.SubElement(cases_el, f"{ns}Case", {"guid": stable_guid(study, f"case/{pid}"),
                                                        "name": u.participant_code or f"#{pid}"})
            values = {"persona": u.persona_name, "kind": t(f"synthesis.kind.{u.participant_kind}")}
            for key, value in values.items():
                if not value:
                    continue
                vv = ET.SubElement(case, f"{ns}VariableValue")
                ET.SubElement(vv, f"{ns}VariableRef", {"targetGUID": stable_guid(study, f"variable/{key}")})
                ET.SubElement(vv, f"{ns}TextValue").text = value
            for sel_guid in selections[pid]:
                ET.SubElement(case, f"{ns}SelectionRef", {"targetGUID": sel_guid})
    sources_el = ET.SubElement(root, f"{ns}Sources")
    sources_el.extend(source_els)
    moments_set(root, ns, study, t, moments)
    ET.SubElement(root, f"{ns}Description").text = t("synthesis.qdpx.description", study=study,
                                                     interviews=len(source_els), utterances=len(records))
    ET.indent(xml_safe(root))
    xml = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_entry("project.qde", now), xml)
        for guid, text in texts.items():
            zf.writestr(_entry(f"Sources/{guid}.txt", now), text.encode("utf-8"))
    return buf.getvalue()


def _entry(name: str, now: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # readable once unzipped
    return info


def _selection_name(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= SELECTION_NAME_CHARS else words[:SELECTION_NAME_CHARS - 1].rstrip() + "…"


def _provenance(u: CodedUtterance, t: Translate) -> str:
    """Who coded the utterance's feeling: the analysis (with its confidence) or the team over it."""
    if u.machine_label is not None:
        return t("synthesis.qdpx.by_team", was=t(f"synthesis.label.{u.machine_label}"))
    return t("synthesis.qdpx.by_analysis", confidence=u.confidence)
