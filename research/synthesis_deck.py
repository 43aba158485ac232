"""The study report as a PowerPoint deck (16:9): the slides a consultant presents to the client.

The deck is laid out from the same sections as the HTML and Word reports
(`synthesis_export.report_sections`), so it never says what the report does not, and it quotes only
participants who consented to being quoted. It is written for a screen rather than for reading:

- the key figures as big numbers, beside the three main irritants and enchantments;
- each chart on a slide of its own, its reading key underneath;
- one slide per main irritant and per main enchantment, its quotes side by side; two or three items
  a slide elsewhere (personas, themes, brand values);
- long tables cut over a few slides.

No text box is left to overflow its slide (PowerPoint does not shrink text it has not laid out
itself): sizes are estimated, and what does not fit (the end of a long quote, a quote more, the rest
of a table) is left to the speaker notes, which hold every quote in full with who said it.
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence

from research import numbers
from research.synthesis import ENCHANTMENT, IRRITANT, overview
from research.synthesis_charts import GREEN, GREY, RED
from research.synthesis_export import Report, ReportItem, Translate, cite, report_pngs, report_sections

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
# Arial, not the template's Calibri: LibreOffice draws it with Liberation Sans, of the same widths, where
# Calibri would become a wider face and text measured for it would overflow
FONT = "Arial"
LEFT = 0.6
WIDTH = SLIDE_W - 2 * LEFT
TOP = 1.5                       # below a slide's title
BOTTOM = 6.8                    # above its footer
GUTTER = 0.35
NAVY, INK, MUTED, PALE, RULE, AMBER = "1F3A5F", "1F2933", "616E7C", "F5F7FA", "D9E2EC", "F0B429"
LABEL_COLOURS = {IRRITANT: RED.lstrip("#"), ENCHANTMENT: GREEN.lstrip("#"), "neutral": GREY.lstrip("#")}

# how many items a slide holds, per section: the main irritants and enchantments get a slide each
ITEMS_PER_SLIDE = {IRRITANT: 1, ENCHANTMENT: 1, "expectation": 3, "themes": 3, "brand": 3}
TITLE_SIZES = (28, 24, 20, 18)  # points: the largest that holds a slide's title on one line
TABLE_ROWS = 12                 # rows under the heading, at most, per slide
TABLE_SIZE = 12                 # points
TABLE_SLIDES = 2                # slides a table may take; the rest is in the report


def text_lines(text: str, width: float, size: float, *, bold: bool = False) -> int:
    """The lines a text takes in a box `width` inches wide, at `size` points, its words wrapped as a
    slide wraps them (a word longer than a line is broken).

    A cautious estimate for Arial (and Liberation Sans): French text averages 0.46 em a character (0.49
    in bold); counted here at 0.53 em (0.58), the width of long words of wide letters ("remboursement")."""
    per_line = max(4, int(width * 72 / (size * (0.58 if bold else 0.53))))
    lines = 0
    for part in text.split("\n"):
        lines += 1
        used = 0
        for word in part.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            lines += (len(word) - 1) // per_line  # a word wider than the box is broken over lines
            used = (len(word) - 1) % per_line + 1
    return lines


def text_height(text: str, width: float, size: float, *, bold: bool = False) -> float:
    """Inches a text takes in a box `width` inches wide, at `size` points (lines 1.2 em apart)."""
    return text_lines(text, width, size, bold=bold) * size * 1.2 / 72


def shortened(text: str, width: float, height: float, size: float, *, bold: bool = False) -> str:
    """`text` cut at a word's end, with an ellipsis, so that it takes no more than `height` inches."""
    if text_height(text, width, size, bold=bold) <= height + 1e-6:
        return text
    words, kept = text.split(), ""
    for word in words:
        longer = f"{kept} {word}".strip()
        if text_height(longer + " …", width, size, bold=bold) > height + 1e-6:
            break
        kept = longer
    return f"{kept} …" if kept else ""


def quote_text(u) -> str:
    """The quote between guillemets, held to its first and last words by non-breaking spaces."""
    return f"«\u00a0{u.text}\u00a0»"


def quote_notes(quotes) -> list[str]:
    return [f"{quote_text(u)} — {cite(u)}" if cite(u) else quote_text(u) for u in quotes]


class _Deck:
    """A presentation and the furniture every slide shares: title, rule, footer, page number, notes."""

    def __init__(self, footer: str, lang: str = "fr"):
        from pptx import Presentation
        from pptx.util import Inches

        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.blank = self.prs.slide_layouts[6]
        self.footer = footer
        self.lang = lang

    # -- shapes ---------------------------------------------------------------------------------
    @staticmethod
    def rgb(hex_colour: str):
        from pptx.dml.color import RGBColor

        return RGBColor.from_string(hex_colour)

    @staticmethod
    def unstyled(shape):
        """The shape without the template's theme style, whose effect reference draws a shadow in
        LibreOffice even under an empty effect list; its fill, line and text are set by hand."""
        from pptx.oxml.ns import qn

        style = shape._element.find(qn("p:style"))
        if style is not None:
            shape._element.remove(style)
        return shape

    def box(self, slide, x, y, w, h, fill: str, *, rounded: bool = False, oval: bool = False):
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        kind = MSO_SHAPE.OVAL if oval else MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE
        shape = self.unstyled(slide.shapes.add_shape(kind, Inches(x), Inches(y), Inches(w), Inches(h)))
        shape.fill.solid()
        shape.fill.fore_color.rgb = self.rgb(fill)
        shape.line.fill.background()
        if rounded:
            shape.adjustments[0] = 0.25
        return shape

    def text(self, slide, x, y, w, h, paragraphs: Sequence[str | tuple[str, dict]], size: float, *,
             colour: str = INK, bold: bool = False, italic: bool = False, align: str = "left",
             space_after: float = 0.0, frame=None):
        """Paragraphs in a text box (or in `frame`, a shape's own text frame). A paragraph is a text in
        the box's style, or (text, {"size": .., "colour": .., "bold": .., "italic": ..}) in its own."""
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.util import Inches, Pt

        if frame is None:
            frame = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h)).text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = Inches(0.04)
        frame.margin_top = frame.margin_bottom = Inches(0.02)
        for i, paragraph in enumerate(paragraphs):
            line, own = paragraph if isinstance(paragraph, tuple) else (paragraph, {})
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}[align]
            p.space_after = Pt(own.get("space_after", space_after))
            run = p.add_run()
            run.text = line
            run.font.name = FONT
            run.font.size = Pt(own.get("size", size))
            run.font.bold = own.get("bold", bold)
            run.font.italic = own.get("italic", italic)
            run.font.color.rgb = self.rgb(own.get("colour", colour))
        return frame

    def tag(self, slide, x, y, label: str, *, right: bool = False, tone: str = "") -> float:
        """A flag (moment of truth, not claimed by the platform, detractors), amber unless `tone` is a
        label's; returns its width."""
        w = min(4.0, len(label) * 11 * 0.58 / 72 + 0.35)
        colour = LABEL_COLOURS[tone] if tone in (IRRITANT, ENCHANTMENT) else AMBER
        pill = self.box(slide, x - w if right else x, y, w, 0.3, colour, rounded=True)
        self.text(slide, 0, 0, 0, 0, [label], 11, colour="FFFFFF", bold=True, align="center", frame=pill.text_frame)
        return w

    # -- slides ---------------------------------------------------------------------------------
    def slide(self, title: str, *, kicker: str = "", notes: Sequence[str] = ()):
        """A content slide: kicker, title, a short rule under it, footer and page number."""
        slide = self.prs.slides.add_slide(self.blank)
        if kicker:
            self.text(slide, LEFT, 0.32, WIDTH - 3, 0.3, [kicker.upper()], 11, colour=MUTED, bold=True)
        # the largest type that keeps the title on one line above its rule, else two lines in the smallest
        size = next((s for s in TITLE_SIZES if text_lines(title, WIDTH, s, bold=True) == 1), None)
        lines = 1 if size else 2
        size = size or TITLE_SIZES[-1]
        self.text(slide, LEFT, 0.58, WIDTH, 0.7, [shortened(title, WIDTH, lines * size * 1.2 / 72, size, bold=True)],
                  size, colour=NAVY, bold=True)
        self.box(slide, LEFT, 1.3, 1.1, 0.05, NAVY)
        self.box(slide, LEFT, 7.0, WIDTH, 0.01, RULE)
        self.text(slide, LEFT, 7.05, WIDTH - 1.5, 0.3, [self.footer], 9, colour=MUTED)
        self.text(slide, SLIDE_W - LEFT - 1.0, 7.05, 1.0, 0.3, [str(len(self.prs.slides))], 9, colour=MUTED,
                  align="right")
        if notes:
            slide.notes_slide.notes_text_frame.text = "\n\n".join(n for n in notes if n)
        return slide

    def picture(self, slide, png: bytes, x, y, w, h) -> float:
        """An image as large as fits the area, its proportions kept, centred across it; returns its height."""
        from PIL import Image
        from pptx.util import Inches

        with Image.open(io.BytesIO(png)) as img:
            ratio = img.height / img.width
        width = min(w, h / ratio)
        slide.shapes.add_picture(io.BytesIO(png), Inches(x + (w - width) / 2), Inches(y), Inches(width),
                                 Inches(width * ratio))
        return width * ratio

    def quote_card(self, slide, u, x, y, w, h, size: float) -> None:
        """A quote on a pale card, a bar of its label's colour on the left, who said it underneath; the
        quote is cut to the card (it is whole in the notes)."""
        self.box(slide, x, y, w, h, PALE)
        self.box(slide, x, y, 0.07, h, LABEL_COLOURS.get(u.label, LABEL_COLOURS["neutral"]))
        credit = cite(u)
        said = shortened(quote_text(u), w - CARD_INSET, h - CARD_PADDING - credit_height(credit, w, size), size)
        self.text(slide, x + 0.2, y + 0.12, w - 0.32, h - 0.2,
                  [said] + ([(credit, {"size": size * 0.7, "italic": False, "colour": MUTED})] if credit else []),
                  size, italic=True, space_after=6)


QUOTE_SIZES = (24, 22, 20, 18, 16, 15, 14)  # points, for a main finding's quotes
CARD_PADDING = 0.45  # inches of a quote card's height around its text
CARD_INSET = 0.4     # inches of its width


def credit_height(credit: str, width: float, size: float) -> float:
    """The height of a quote card's credit line (in smaller type, under the quote)."""
    return text_height(credit, width - CARD_INSET, size * 0.7) + 0.08 if credit else 0.0


def card_height(u, width: float, size: float) -> float:
    """The height a quote card needs to show the whole quote."""
    return CARD_PADDING + text_height(quote_text(u), width - CARD_INSET, size) + credit_height(cite(u), width, size)


def _flow(deck: _Deck, slide, x: float, y: float, w: float, text: str, size: float, **style) -> float:
    """`text` at `y`, cut to what room is left above the footer; returns where the next text goes."""
    room = BOTTOM - y
    if not text or room < size * 1.2 / 72:
        return y
    bold = style.get("bold", False)
    shown = shortened(text, w, room, size, bold=bold)
    if not shown:
        return y
    h = text_height(shown, w, size, bold=bold)
    deck.text(slide, x, y, w, h, [shown], size, **style)
    return y + h + 0.08


def _item_notes(item: ReportItem) -> list[str]:
    return [item.title, item.meta, *item.lines, *item.bullets, *quote_notes(item.quotes)]


def _cover(deck: _Deck, report: Report, t: Translate, figures: str) -> None:
    """The title slide: the study's title, when the report was made, its figures in one line."""
    slide = deck.prs.slides.add_slide(deck.blank)
    deck.box(slide, 0, 0, SLIDE_W, SLIDE_H, NAVY)
    size = 40 if len(report.title) <= 50 else 32
    deck.text(slide, LEFT, 1.2, WIDTH, 1.75, [report.title], size, colour="FFFFFF", bold=True)
    deck.box(slide, LEFT, 3.1, 1.4, 0.07, AMBER)
    deck.text(slide, LEFT, 3.4, WIDTH, 0.5, [t("synthesis.deck.subtitle")], 22, colour="FFFFFF")
    deck.text(slide, LEFT, 4.0, WIDTH, 0.4, [t("synthesis.report.generated", date=report.generated_at,
                                                 run=report.run_label)], 14, colour="C9D6E3")
    deck.text(slide, LEFT, 6.2, WIDTH, 0.7, [figures], 14, colour="C9D6E3")


def _key_figures(deck: _Deck, section: dict, sections: list[dict], report: Report, t: Translate, lang: str) -> None:
    """The summary: big numbers, the three main irritants and enchantments, the team's agreement."""
    figures = overview(report.records)
    cards = [("interviews", "synthesis.fig.interviews", NAVY), ("participants", "synthesis.fig.participants", NAVY),
             ("utterances", "synthesis.fig.utterances", NAVY), ("irritants", "synthesis.irritants", RED.lstrip("#")),
             ("enchantments", "synthesis.enchantments", GREEN.lstrip("#")),
             ("expectations", "synthesis.fig.expectations", AMBER)]
    slide = deck.slide(section["title"], notes=section.get("paragraphs", []))
    w = (WIDTH - (len(cards) - 1) * 0.25) / len(cards)
    for i, (key, label, colour) in enumerate(cards):
        x = LEFT + i * (w + 0.25)
        deck.box(slide, x, TOP + 0.1, w, 1.35, PALE)
        deck.box(slide, x, TOP + 0.1, w, 0.06, colour)
        deck.text(slide, x, TOP + 0.25, w, 0.7, [numbers.number(figures[key], ",d", lang)], 34, colour=colour,
                  bold=True, align="center")
        deck.text(slide, x, TOP + 0.95, w, 0.4, [t(label)], 12, colour=MUTED, align="center")
    top = {s["key"]: s for s in sections if s.get("key") in (IRRITANT, ENCHANTMENT)}
    half = (WIDTH - GUTTER) / 2
    for j, (label, colour) in enumerate(((IRRITANT, RED), (ENCHANTMENT, GREEN))):
        if label not in top or not top[label].get("items"):
            continue
        x, y = LEFT + j * (half + GUTTER), TOP + 1.85
        y = _flow(deck, slide, x, y, half, top[label]["title"], 17, colour=colour.lstrip("#"), bold=True) + 0.05
        for rank, item in enumerate(top[label]["items"][:3], 1):
            y = _flow(deck, slide, x, y, half, f"{rank}. {item.title}", 15, bold=True)
            y = _flow(deck, slide, x + 0.25, y - 0.04, half - 0.25, item.meta, 11, colour=MUTED) + 0.04
    agreement = section.get("paragraphs", [])[1:]
    if agreement:
        deck.text(slide, LEFT, 6.35, WIDTH, 0.5, [shortened(agreement[0], WIDTH, 0.5, 12)], 12, colour=MUTED)


def _chart_slide(deck: _Deck, section: dict, png: bytes) -> None:
    """A chart as large as the slide allows, what it shows written underneath."""
    caption = " ".join(section.get("paragraphs", []))
    caption_h = min(1.0, text_height(caption, WIDTH, 13)) if caption else 0
    slide = deck.slide(section["title"], notes=section.get("paragraphs", []))
    height = deck.picture(slide, png, LEFT, TOP, WIDTH, BOTTOM - TOP - caption_h - (0.2 if caption else 0))
    if caption:
        deck.text(slide, LEFT, TOP + height + 0.2, WIDTH, caption_h, [shortened(caption, WIDTH, caption_h, 13)], 13,
                  colour=MUTED)


def _table_slides(deck: _Deck, section: dict, t: Translate) -> None:
    """A table over at most TABLE_SLIDES slides; numbers right-aligned; how many rows are left out."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    head, *rows = section["table"]
    # a column as wide as its longest text (within bounds), never narrower than its heading in bold
    chars = [max(len(str(head[c])) * 1.15 + 2, min(40, max(len(str(r[c])) for r in [head, *rows])))
             for c in range(len(head))]
    widths = [WIDTH * c / sum(chars) for c in chars]
    cells = [[_cell_text(value, widths[c]) for c, value in enumerate(r)] for r in rows]
    heights = [max(text_height(text, widths[c] - 0.2, TABLE_SIZE) for c, text in enumerate(r)) + 0.12
               for r in cells]
    room = BOTTOM - TOP - 0.45 - 0.4  # under the heading row, above the "rows left out" line
    pages, page, used = [], [], 0.0
    for r, h in zip(rows, heights):
        if page and (used + h > room or len(page) == TABLE_ROWS):
            pages.append(page)
            page, used = [], 0.0
        page.append(r)
        used += h
    pages = (pages + [page])[:TABLE_SLIDES]
    left_out = len(rows) - sum(len(p) for p in pages)
    numeric = [all(isinstance(r[c], (int, float)) for r in rows) and bool(rows) for c in range(len(head))]
    for k, page in enumerate(pages):
        title = section["title"] if k == 0 else t("synthesis.deck.continued", title=section["title"])
        cut = [" · ".join(str(v) for v in r) for r in page
               if any(_cell_text(v, widths[c]) != str(v) for c, v in enumerate(r))]
        slide = deck.slide(title, notes=cut)
        shape = slide.shapes.add_table(len(page) + 1, len(head), Inches(LEFT), Inches(TOP), Inches(WIDTH),
                                       Inches(0.4 * (len(page) + 1)))
        table = shape.table
        for c, w in enumerate(widths):
            table.columns[c].width = Inches(w)
        for r, values in enumerate([head, *page]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.fill.solid()
                cell.fill.fore_color.rgb = deck.rgb(NAVY if r == 0 else (PALE if r % 2 == 0 else "FFFFFF"))
                frame = cell.text_frame
                frame.text = str(value) if r == 0 else _cell_text(value, widths[c])
                p = frame.paragraphs[0]
                p.alignment = PP_ALIGN.RIGHT if numeric[c] and r else PP_ALIGN.LEFT
                for run in p.runs:
                    run.font.name = FONT
                    run.font.size = Pt(TABLE_SIZE)
                    run.font.bold = r == 0
                    run.font.color.rgb = deck.rgb("FFFFFF" if r == 0 else INK)
        if left_out and k == len(pages) - 1:
            deck.text(slide, LEFT, BOTTOM - 0.35, WIDTH, 0.35, [t("synthesis.deck.more_rows", n=left_out)], 12,
                      colour=MUTED, italic=True)


def _cell_text(value, width: float) -> str:
    """A table cell's text, cut to two lines of its column."""
    return shortened(str(value), width - 0.2, 2 * TABLE_SIZE * 1.2 / 72, TABLE_SIZE)


def _focus_slide(deck: _Deck, section: dict, item: ReportItem, rank: int, total: int, t: Translate) -> None:
    """One main irritant or enchantment: its figures, then its quotes side by side."""
    slide = deck.slide(item.title, kicker=t("synthesis.deck.rank", section=section["title"], n=rank, total=total),
                       notes=_item_notes(item))
    if item.tag:
        deck.tag(slide, SLIDE_W - LEFT, 0.3, item.tag, right=True, tone=item.tag_tone)
    y = TOP
    for line in (item.meta, *item.lines):
        y = _flow(deck, slide, LEFT, y, WIDTH, line, 15, colour=MUTED if line == item.meta else INK)
    for point in item.bullets:
        y = _flow(deck, slide, LEFT, y, WIDTH, f"• {point}", 13)
    y += 0.2
    quotes = item.quotes
    if not quotes:
        _flow(deck, slide, LEFT, y, WIDTH, item.no_quote, 14, colour=MUTED, italic=True)
        return
    w = (WIDTH - (len(quotes) - 1) * GUTTER) / len(quotes)
    # the largest type at which every quote fits whole, else the smallest (and the quotes are cut)
    size = next((s for s in QUOTE_SIZES if max(card_height(u, w, s) for u in quotes) <= BOTTOM - y), QUOTE_SIZES[-1])
    h = min(BOTTOM - y, max(card_height(u, w, size) for u in quotes))
    for j, u in enumerate(quotes):
        deck.quote_card(slide, u, LEFT + j * (w + GUTTER), y, w, h, size)


COLUMN_QUOTE_SIZES = (16, 15, 14, 13, 12)  # points, for the quotes of items laid side by side


def _heading_height(item: ReportItem, w: float) -> float:
    """The height `_column_slides` gives an item above its quotes (as `_flow` lays it out)."""
    parts = [(item.title, 17, True), (item.meta, 11, False), *((line, 12, False) for line in item.lines),
             *((f"• {point}", 11, False) for point in item.bullets)]
    return sum(text_height(text, w, size, bold=bold) + 0.08 for text, size, bold in parts if text) + (
        0.4 if item.tag else 0) + 0.08


def _column_slides(deck: _Deck, section: dict, per_slide: int, intro: list[str], t: Translate) -> None:
    """Items side by side, `per_slide` a slide: title, flag, figures, lines, then as many quotes as fit."""
    items = section["items"]
    w = (WIDTH - (per_slide - 1) * GUTTER) / per_slide
    for start in range(0, len(items), per_slide):
        chunk = items[start:start + per_slide]
        title = section["title"] if start == 0 else t("synthesis.deck.continued", title=section["title"])
        notes = (intro if start == 0 else []) + [line for item in chunk for line in _item_notes(item)]
        slide = deck.slide(title, notes=notes)
        top = TOP
        if intro and start == 0:
            top = _flow(deck, slide, LEFT, TOP, WIDTH, " ".join(intro), 13, colour=MUTED) + 0.1
        # the largest type at which every item's quotes fit whole under its heading, else the smallest
        quote_size = next((size for size in COLUMN_QUOTE_SIZES if all(
            top + _heading_height(item, w) + sum(card_height(u, w, size) + 0.15 for u in item.quotes) <= BOTTOM
            for item in chunk)), COLUMN_QUOTE_SIZES[-1])
        for j, item in enumerate(chunk):
            x, y = LEFT + j * (w + GUTTER), top
            y = _flow(deck, slide, x, y, w, item.title, 17, colour=NAVY, bold=True)
            if item.tag:
                deck.tag(slide, x, y, item.tag, tone=item.tag_tone)
                y += 0.4
            y = _flow(deck, slide, x, y, w, item.meta, 11, colour=MUTED)
            for line in item.lines:
                y = _flow(deck, slide, x, y, w, line, 12)
            for point in item.bullets:
                y = _flow(deck, slide, x, y, w, f"• {point}", 11)
            y += 0.08
            if not item.quotes and item.no_quote:
                _flow(deck, slide, x, y, w, item.no_quote, 11, colour=MUTED, italic=True)
            for u in item.quotes:
                room = BOTTOM - y
                if room < 1.0:
                    break  # the quote is in the notes
                h = min(room, card_height(u, w, quote_size))
                deck.quote_card(slide, u, x, y, w, h, quote_size)
                y += h + 0.15


def _persona_slides(deck: _Deck, section: dict, t: Translate) -> None:
    """A slide per persona: its sheet as defined on the left, what its participants said on the right."""
    cards = section["cards"]
    left_w, gap = 4.9, 0.4
    right_x, right_w = LEFT + left_w + gap, WIDTH - left_w - gap
    for rank, card in enumerate(cards, 1):
        quotes = card["quotes"]
        slide = deck.slide(card["name"], kicker=t("synthesis.deck.rank", section=section["title"], n=rank,
                                                  total=len(cards)),
                           notes=[card["line"], *quote_notes(quotes)])
        deck.box(slide, LEFT, TOP, left_w, BOTTOM - TOP, PALE)
        x, w = LEFT + 0.25, left_w - 0.5
        y = _flow(deck, slide, x, TOP + 0.2, w, t("synthesis.deck.persona_defined").upper(), 10, colour=MUTED,
                  bold=True) + 0.05
        sheet = card["definition"]
        if sheet is None:
            _flow(deck, slide, x, y, w, t("synthesis.deck.persona_undefined"), 12, colour=MUTED, italic=True)
        else:
            y = _flow(deck, slide, x, y, w, sheet.profile, 13) + 0.08
            for key, values in (("participants.goals", sheet.goals), ("participants.frustrations", sheet.frustrations)):
                if values:
                    y = _flow(deck, slide, x, y, w, t(key), 11, colour=NAVY, bold=True)
                    for value in values:
                        y = _flow(deck, slide, x, y - 0.04, w, f"• {value}", 11)
                    y += 0.06
            for key, value in (("participants.channels", ", ".join(sheet.preferred_channels)),
                               ("participants.tone", sheet.tone)):
                if value:
                    y = _flow(deck, slide, x, y, w, t(key), 11, colour=NAVY, bold=True)
                    y = _flow(deck, slide, x, y - 0.04, w, value, 11) + 0.06
        y = _flow(deck, slide, right_x, TOP + 0.2, right_w, t("synthesis.deck.persona_heard").upper(), 10,
                  colour=MUTED, bold=True) + 0.05
        line = card["line"]
        if card["nps"]:
            line += " · " + t("synthesis.deck.persona_nps", nps=card["nps"]["nps"], n=card["nps"]["answers"])
        y = _flow(deck, slide, right_x, y, right_w, line, 13) + 0.1
        half = (right_w - GUTTER) / 2
        bottom = y
        for j, (key, named, colour) in enumerate((("synthesis.personas.irritated_by", card["irritants"], RED),
                                                  ("synthesis.personas.delighted_by", card["enchantments"], GREEN))):
            cx, cy = right_x + j * (half + GUTTER), y
            cy = _flow(deck, slide, cx, cy, half, t(key), 12, colour=colour.lstrip("#"), bold=True)
            for name, n in named or [("—", 0)]:
                cy = _flow(deck, slide, cx, cy - 0.02, half, f"{name} ({n})" if n else name, 12)
            bottom = max(bottom, cy)
        y = bottom + 0.05
        if card["channels"]:
            y = _flow(deck, slide, right_x, y, right_w, t("synthesis.deck.persona_channels",
                                                          channels=", ".join(n for n, _ in card["channels"])),
                      11, colour=MUTED) + 0.1
        for u in quotes:
            room = BOTTOM - y
            if room < 0.9:
                break  # the quote is in the notes
            h = min(room, card_height(u, right_w, 14))
            deck.quote_card(slide, u, right_x, y, right_w, h, 14)
            y += h + 0.12


MAP_STEPS = 10  # columns an experience map slide holds; a longer journey takes two slides
MAP_LANES = (("step", 0.72), ("feeling", 0.8), ("irritants", 0.85), ("enchantments", 0.85),
             ("expectations", 0.5), ("channels", 0.42), ("voice", 0.86))  # (lane, inches)
MAP_LABEL_W = 1.3


def _map_slides(deck: _Deck, section: dict, t: Translate) -> None:
    """A journey's experience map: macro-steps over step columns, a lane per kind of evidence, the
    feeling drawn as a curve across the columns; every cell's text cut to its cell."""
    columns = section["map"]
    pages = max(1, math.ceil(len(columns) / MAP_STEPS))
    per_page = math.ceil(len(columns) / pages)
    for k in range(pages):
        shown = columns[k * per_page:(k + 1) * per_page]
        title = section["title"] if k == 0 else t("synthesis.deck.continued", title=section["title"])
        slide = deck.slide(title, notes=section.get("paragraphs", []) + [
            f"{c.step.order:02d}. {c.step.label} — " + t("synthesis.map.utterances", n=c.utterances)
            + "".join(f"\n  {quote}" for quote in quote_notes([c.quote] if c.quote else [])) for c in shown])
        _draw_map(deck, slide, shown, t)


def _draw_map(deck: _Deck, slide, columns, t: Translate) -> None:
    from research.experience_map import macro_spans

    w = (WIDTH - MAP_LABEL_W) / len(columns)
    x0, y = LEFT + MAP_LABEL_W, TOP - 0.05
    x = x0
    for name, n in macro_spans(columns):  # the macro-steps, over their steps
        band = deck.box(slide, x + 0.02, y, n * w - 0.04, 0.3, NAVY)
        deck.text(slide, 0, 0, 0, 0, [shortened(name, n * w - 0.1, 0.3, 9, bold=True) or "—"], 9, colour="FFFFFF",
                  bold=True, align="center", frame=band.text_frame)
        x += n * w
    y += 0.36
    for lane_no, (lane, height) in enumerate(MAP_LANES):
        if lane_no % 2:
            deck.box(slide, LEFT, y, WIDTH, height, PALE)
        deck.text(slide, LEFT, y + 0.04, MAP_LABEL_W - 0.1, height - 0.08,
                  [shortened(t(f"synthesis.map.lane.{lane}"), MAP_LABEL_W - 0.1, height - 0.08, 8.5, bold=True)],
                  8.5, colour=MUTED, bold=True)
        if lane == "feeling":
            _draw_curve(deck, slide, columns, x0, y, w, height)
        for i, c in enumerate(columns):
            cx, room = x0 + i * w + 0.04, height - 0.08
            if lane == "step":
                if c.step.moment_of_truth:
                    deck.box(slide, x0 + i * w + 0.02, y, w - 0.04, 0.05, AMBER)
                label = shortened(f"{c.step.order:02d}. {c.step.label}", w - 0.08, room - 0.18, 8.5, bold=True)
                deck.text(slide, cx, y + 0.06, w - 0.08, room - 0.18, [label], 8.5, bold=True)
                deck.text(slide, cx, y + height - 0.2, w - 0.08, 0.16,
                          [t("synthesis.map.utterances", n=c.utterances)], 7, colour=MUTED)
                continue
            if lane == "feeling":
                continue
            if c.silent:
                deck.text(slide, cx, y + 0.04, w - 0.08, room,
                          [shortened(t("synthesis.map.silent"), w - 0.08, room, 8)], 8, colour="9AA5B1", italic=True)
                continue
            lines, style = _map_cell(c, lane, t), {}
            if lane in ("irritants", "enchantments"):
                style = {"colour": (RED if lane == "irritants" else GREEN).lstrip("#")}
            if lane == "voice":
                style = {"italic": True}
            kept, used = [], 0.0
            for line in lines:
                left = room - used
                cut = shortened(line, w - 0.08, left, 8)
                if not cut:
                    break
                kept.append(cut)
                used += text_height(cut, w - 0.08, 8) + 0.03
            deck.text(slide, cx, y + 0.04, w - 0.08, room, kept or ["—"], 8, space_after=2, **style)
        y += height


def _map_cell(c, lane: str, t: Translate) -> list[str]:
    if lane in ("irritants", "enchantments", "expectations"):
        return [f"{name or t('synthesis.untitled')} ({n})" for name, n in getattr(c, lane)]
    if lane == "channels":
        return [", ".join(name for name, _ in c.channels)] if c.channels else []
    if lane == "voice" and c.quote is not None:
        return [quote_text(c.quote) + (f" {c.quote.participant_code}" if c.quote.participant_code else "")]
    return []


def _draw_curve(deck: _Deck, slide, columns, x0: float, y: float, w: float, height: float) -> None:
    """The feeling at each step, from -1 at the lane's foot to +1 at its head; a dashed line at zero."""
    from pptx.enum.dml import MSO_LINE
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.util import Inches, Pt

    pad = 0.12
    level = lambda score: y + pad + (1 - score) / 2 * (height - 2 * pad)  # noqa: E731

    def line(x1, y1, x2, y2, colour: str, width: float, dashed: bool = False) -> None:
        connector = deck.unstyled(slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(x1), Inches(y1),
                                                             Inches(x2), Inches(y2)))
        connector.line.color.rgb = deck.rgb(colour)
        connector.line.width = Pt(width)
        if dashed:
            connector.line.dash_style = MSO_LINE.DASH

    line(x0, level(0), x0 + w * len(columns), level(0), "9AA5B1", 0.75, dashed=True)
    known = [(i, c.score) for i, c in enumerate(columns) if c.score is not None]
    for (i, a), (j, b) in zip(known, known[1:]):
        line(x0 + (i + .5) * w, level(a), x0 + (j + .5) * w, level(b), NAVY, 2)
    for i, score in known:
        colour = (RED if score < 0 else GREEN if score > 0 else GREY).lstrip("#")
        deck.box(slide, x0 + (i + .5) * w - 0.06, level(score) - 0.06, 0.12, 0.12, colour, oval=True)
        deck.text(slide, x0 + (i + .5) * w + 0.06, max(y, level(score) - 0.24), 0.6, 0.18,
                  [numbers.number(score, "+.2f", deck.lang)], 7, colour=MUTED)


def _text_slide(deck: _Deck, section: dict) -> None:
    slide = deck.slide(section["title"], notes=section.get("paragraphs", []))
    y = TOP + 0.1
    for paragraph in section.get("paragraphs", []):
        y = _flow(deck, slide, LEFT, y, WIDTH, paragraph, 16) + 0.1


def report_pptx(report: Report, t: Translate, lang: str = "fr", images: dict[str, bytes] | None = None) -> bytes:
    """The report as a PowerPoint deck; `images` are the charts as PNG (`report_pngs`, drawn here if not given)."""
    images = report_pngs(report, t, lang) if images is None else images
    sections = report_sections(report, t)
    deck = _Deck(report.title, lang)
    summary = next((s for s in sections if s.get("key") == "summary"), None)
    _cover(deck, report, t, summary["paragraphs"][0] if summary else "")
    contents = deck.slide(t("synthesis.deck.contents"))
    starts: list[tuple[str, int]] = []
    for section in sections:
        first = len(deck.prs.slides) + 1
        key = section.get("key")
        if "pptx" not in section.get("formats", ("pptx",)):
            continue
        if key == "summary":
            _key_figures(deck, section, sections, report, t, lang)
        elif key == "map":
            _map_slides(deck, section, t)
        else:
            chart = images.get(section.get("chart") or "")
            if chart:
                _chart_slide(deck, section, chart)
            if section.get("table"):
                _table_slides(deck, section, t)
            intro = [] if chart else section.get("paragraphs", [])
            if section.get("items"):
                per_slide = ITEMS_PER_SLIDE.get(key, 2)
                if section.get("cards"):
                    _persona_slides(deck, section, t)
                elif per_slide == 1:
                    for rank, item in enumerate(section["items"], 1):
                        _focus_slide(deck, section, item, rank, len(section["items"]), t)
                else:
                    _column_slides(deck, section, per_slide, intro, t)
            elif intro and not section.get("table"):
                _text_slide(deck, section)
        if len(deck.prs.slides) >= first:
            starts.append((section["title"], first))
    _fill_contents(deck, contents, starts)
    buf = io.BytesIO()
    deck.prs.save(buf)
    return buf.getvalue()


def experience_map_pptx(columns, title: str, t: Translate, lang: str = "fr") -> bytes:
    """One journey's experience map on its own, as slides to print or to put on a workshop's wall."""
    deck = _Deck(title, lang)
    _map_slides(deck, {"title": title, "map": list(columns), "paragraphs": [t("synthesis.map.help")]}, t)
    buf = io.BytesIO()
    deck.prs.save(buf)
    return buf.getvalue()


def _fill_contents(deck: _Deck, slide, starts: list[tuple[str, int]]) -> None:
    """The contents: each section's title and the slide it starts on, in one or two columns."""
    per_column = max(8, math.ceil(len(starts) / 2))
    step = min(0.62, (BOTTOM - TOP - 0.1) / per_column)
    columns = [starts[i:i + per_column] for i in range(0, len(starts), per_column)]
    w = (WIDTH - GUTTER) / 2 if len(columns) > 1 else WIDTH * 0.7
    for c, column in enumerate(columns):
        x, y = LEFT + c * (w + GUTTER), TOP + 0.1
        for title, page in column:
            deck.text(slide, x, y, w - 0.7, step, [shortened(title, w - 0.7, step, 16)], 16, colour=INK)
            deck.text(slide, x + w - 0.6, y, 0.6, step, [str(page)], 16, colour=MUTED, align="right")
            y += step
