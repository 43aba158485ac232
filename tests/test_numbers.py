"""Numbers and days written as each language writes them, in translations, pages, charts and reports."""
import re
from datetime import date, datetime

import altair as alt
import numpy as np
import pandas as pd

import pytest

from research.numbers import chart_locale, day, fill, number
from research.synthesis_charts import in_language, to_svg

NNBSP = "\u202f"


def test_french_numbers_take_a_decimal_comma_a_spaced_percent_and_thin_thousands():
    assert number(0.224, "+.2f", "fr") == "+0,22" and number(0.224, "+.2f", "en") == "+0.22"
    assert number(-0.418, "+.2f", "fr") == "\u22120,42" and number(-0.418, "+.2f", "en") == "-0.42"
    assert number(0.45, ".0%", "fr") == f"45{NNBSP}%" and number(0.45, ".0%", "en") == "45%"
    assert number(12345.5, ",.0f", "fr") == f"12{NNBSP}346" and number(12345.5, ",.0f", "en") == "12,346"
    assert number(3, "d", "fr") == "3" and number(12345.0, ",d", "fr") == f"12{NNBSP}345"


def test_a_score_that_rounds_to_zero_shows_no_minus_sign():
    assert number(-0.001, "+.2f", "en") == "+0.00" and number(-0.001, "+.2f", "fr") == "+0,00"
    assert number(0, "+.2f", "en") == "+0.00" and number(-0.004, ".0%", "fr") == f"0{NNBSP}%"
    assert number(-1, "+.2f", "en") == "-1.00"


def test_translations_carry_the_format_and_leave_other_fields_alone():
    line = "{n} participants · ressenti moyen {mood:+.2f} · {share:.0%} · kappa {kappa:.2f} · {name}"
    assert fill(line, "fr", n=4, mood=-0.012, share=0.5, kappa="—", name="Zoé 3.0") == \
        f"4 participants · ressenti moyen \u22120,01 · 50{NNBSP}% · kappa — · Zoé 3.0"
    assert fill(line, "en", n=4, mood=0.3, share=0.5, kappa=0.612, name="x") == \
        "4 participants · ressenti moyen +0.30 · 50% · kappa 0.61 · x"
    assert fill("{ok!r} {flag} {text} {lang}", "fr", ok="a", flag=True, text="t", lang="l") == "'a' True t l"
    assert fill("{n:,d} verbatims, {size:,d} ici", "fr", n=np.int64(12345), size="—") == f"12{NNBSP}345 verbatims, — ici"


def test_days_are_written_day_first_with_the_month_named_in_the_reader_language():
    assert day(date(2026, 10, 7), "fr") == "07/10/2026" and day(date(2026, 10, 7), "en") == "7 Oct 2026"
    assert day(date(2026, 2, 9), "fr", "long") == "9 février 2026"
    assert day(date(2026, 2, 9), "en", "long") == "9 February 2026"
    assert day(date(2026, 5, 1), "fr", "long") == "1er mai 2026"
    assert day(datetime(2026, 12, 5, 18, 30), "fr") == "05/12/2026"
    assert day(date(2026, 7, 2), "fr", "compact") == "02/07/26" and day(date(2026, 7, 2), "en", "compact") == "2 Jul 26"
    with pytest.raises(ValueError):
        day(date(2026, 5, 1), "fr", "%d")


def test_translations_carry_how_a_day_or_a_moment_is_written():
    line = "séance du {when:short}, action due le {due:long}, fin {end:short}"
    assert fill(line, "fr", when=datetime(2026, 12, 5, 18, 30), due=date(2027, 1, 1), end="—") == \
        "séance du 05/12/2026 18:30, action due le 1er janvier 2027, fin —"
    assert fill(line, "en", when=datetime(2026, 12, 5, 18, 30), due=date(2027, 1, 1), end=date(2027, 3, 2)) == \
        "séance du 5 Dec 2026 18:30, action due le 1 January 2027, fin 2 Mar 2027"


def test_the_app_catalogue_formats_numbers_in_the_reader_language():
    from ui.i18n import t

    assert t("synthesis.personas.line", lang="fr", participants=4, utterances=73, mood=-0.013).endswith(
        "ressenti moyen \u22120,01")
    assert t("synthesis.personas.line", lang="en", participants=4, utterances=73, mood=0.2).endswith(
        "mean feeling +0.20")


def test_charts_write_their_axes_in_the_reader_language():
    chart = alt.Chart(pd.DataFrame({"x": [0.45], "y": ["a"]})).mark_bar().encode(
        x=alt.X("x:Q", axis=alt.Axis(format="%")), y="y:N").configure_axis(grid=False)
    french = in_language(chart, "fr").to_dict()["config"]
    assert french["locale"] == chart_locale("fr") and french["axis"] == {"grid": False}  # its own config kept
    assert "locale" not in chart.to_dict()["config"] and in_language(chart, "en") is chart
    ticks = lambda svg: re.findall(r">([^<]*%)<", svg)  # noqa: E731
    assert f"40{NNBSP}%" in ticks(to_svg(chart, lang="fr")) and "40%" in ticks(to_svg(chart, lang="en"))


@pytest.mark.parametrize("lang, written", [
    ("fr", ["0 participant", "1 participant", "2 participants", "1,5 heure", "— participants"]),
    ("en", ["0 participants", "1 participant", "2 participants", "1.5 hours", "— participants"]),
])
def test_a_count_chooses_the_singular_or_plural_of_its_noun_as_its_language_does(lang, written):
    line = "{n} participant{n:|s}"
    assert [fill(line, lang, n=n) for n in (0, 1, 2)] + [fill("{h:.1f} {h:heure|heures}" if lang == "fr" else
                                                              "{h:.1f} {h:hour|hours}", lang, h=1.5),
                                                         fill(line, lang, n="—")] == written
    assert fill("{n:,d} participant{n:|s}", lang, n=np.int64(1)) == "1 participant"


def test_the_catalogue_writes_one_participant_one_mention():
    from ui.i18n import t

    assert t("synthesis.report.brand_line", lang="fr", mentions=1, share=0.25, valence=-1.0).startswith("1 mention ·")
    assert t("synthesis.report.brand_line", lang="en", mentions=2, share=0.25, valence=-1.0).startswith("2 mentions ·")
    assert t("synthesis.personas.archetype_line", lang="fr", members=1) == "1 participant"
