"""What the projective sessions say: most picked images and their words, the portrait's grouped answers and
traits, the brand against each competitor, employees against customers, and the brand platform. Every line
opens onto the answers behind it."""
import altair as alt
import pandas as pd
import streamlit as st

from research import images as I
from research import photolanguage as PL
from research import portrait as PT
from research.synthesis_charts import GREEN, RED
from ui.db import get_db
from ui.i18n import current_language, t
from ui.widgets import chart_with_height, literal, page_header, tabs, wrapped_table

db = get_db()
page_header("projective.title", "projective.intro")
lang = current_language()

tab_photo, tab_portrait, tab_competitors, tab_groups, tab_platform = tabs([
    t("projective.tab.photolanguage"), t("projective.tab.portrait"), t("projective.tab.competitors"),
    t("projective.tab.groups"), t("projective.tab.platform")], key="projective_analysis_tabs")


def trait_name(key: str) -> str:
    return PT.traits()[key].label(lang)


def answer_lines(answers, limit: int = 12) -> None:
    for a in answers[:limit]:
        why = f" — *{literal(a.justification)}*" if a.justification else ""
        st.markdown(f"- **{a.participant_code}** ({t(f'portrait.group.{a.group}')}, {literal(a.target)}, "
                    f"{literal(a.category)}) : « {literal(a.answer)} »{why}")
    if len(answers) > limit:
        st.caption(t("projective.more", n=len(answers) - limit))


def contrast_sides(contrast, left_title: str, right_title: str) -> None:
    """The answers behind a contrast, the two sides next to each other."""
    for col, title, side in zip(st.columns(2), (left_title, right_title), (contrast.left, contrast.right)):
        with col:
            st.markdown(f"**{title}**")
            answer_lines(side.answers if side else [], 8)


def pick_lines(picks) -> None:
    for p in picks:
        st.markdown(f"- **{p.participant_code}** · {p.image_code} {literal(p.image_title)} : « {literal(p.words)} »")


# ---------------------------------------------------------------- photolanguage
with tab_photo:
    sessions = PL.list_sessions(db)
    if not sessions:
        st.info(t("projective.no_photolanguage"), icon=":material/photo_library:")
    else:
        chosen = st.selectbox(t("projective.session"), [None] + [s.id for s in sessions], key="pa_session",
                              format_func=lambda i: t("projective.all_sessions") if i is None
                              else next(s.name for s in sessions if s.id == i))
        with st.spinner(t("projective.loading")):
            top = PL.most_picked(db, chosen)
        if not top:
            st.info(t("projective.no_picks"))
        else:
            n_picks = sum(e.count for e in top)
            st.caption(t("projective.picks_line", picks=n_picks, images=len(top)))
            frame = pd.DataFrame([{"image": f"{e.image.code} · {e.image.title}", "picks": e.count,
                                   "rate": round(e.rate * 100), "offered": e.offered,
                                   "valence": t(f"images.valence.{e.image.valence or 'none'}")} for e in top[:15]])
            chart_with_height(alt.Chart(frame).mark_bar(cornerRadius=3).encode(
                y=alt.Y("image:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
                x=alt.X("picks:Q", title=t("projective.picks"), axis=alt.Axis(tickMinStep=1)),
                color=alt.Color("valence:N", title=t("images.valence"), legend=alt.Legend(orient="top"),
                                scale=alt.Scale(domain=[t("images.valence.positive"), t("images.valence.neutral"),
                                                        t("images.valence.negative"), t("images.valence.none")],
                                                range=[GREEN, "#9aa5b1", RED, "#d9c6a5"])),
                tooltip=[alt.Tooltip("image:N", title=t("projective.tip.picture")),
                         alt.Tooltip("picks:Q", title=t("projective.picks")),
                         alt.Tooltip("offered:Q", title=t("projective.offered")),
                         alt.Tooltip("rate:Q", title=t("projective.rate"))],
            ).properties(height=28 * len(frame) + 40, title=t("projective.most_picked")))
            thumbs = I.thumbnails(db, [e.image.id for e in top[:8]])
            cols = st.columns(4)
            for k, e in enumerate(top[:8]):
                with cols[k % 4].container(border=True):
                    st.image(thumbs[e.image.id], width="stretch")
                    st.markdown(f"**{e.image.code}** · {literal(e.image.title)}")
                    st.caption(t("projective.image_line", picks=e.count, offered=e.offered, rate=e.rate))
                    words = " · ".join(literal(w) for w, _ in e.words.most_common(5))
                    if words:
                        st.markdown(f":gray[{words}]")
                    if e.traits:
                        st.markdown(" ".join(f":violet-badge[{trait_name(k)}]" for k, _ in e.traits.most_common(3)))
                    with st.popover(t("projective.behind", n=e.count), icon=":material/format_quote:"):
                        pick_lines(e.picks)
            c1, c2 = st.columns(2)
            with c1:
                st.markdown(f"##### {t('projective.words')}")
                words = PL.words_used(db, chosen, top=15)
                if words:
                    wf = pd.DataFrame([{"word": w.lemma, "n": w.count} for w in words])
                    chart_with_height(alt.Chart(wf).mark_bar(cornerRadius=3, color="#5b7db1").encode(
                        y=alt.Y("word:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)), x=alt.X("n:Q", title=t("projective.picks"),
                                                                           axis=alt.Axis(tickMinStep=1)),
                        tooltip=[alt.Tooltip("word:N", title=t("projective.tip.word")),
                                 alt.Tooltip("n:Q", title=t("projective.picks"))]).properties(height=22 * len(wf) + 30))
                    for w in words[:6]:
                        with st.expander(t("projective.word_line", word=w.lemma, n=w.count)):
                            pick_lines(w.picks)
            with c2:
                st.markdown(f"##### {t('projective.pick_traits')}")
                traits = PL.pick_traits(db, chosen)
                if not traits:
                    st.caption(t("projective.no_traits"))
                for key, ps in traits[:8]:
                    with st.expander(t("projective.trait_line", trait=trait_name(key), n=len(ps))):
                        pick_lines(ps)
                with st.expander(t("projective.by_participant"), icon=":material/person:"):
                    st.dataframe(pd.DataFrame([
                        {t("portrait.player"): p.participant_code, "#": p.rank,
                         t("images.code"): p.image_code, t("images.title_field"): p.image_title,
                         t("photolanguage.words"): p.words} for p in PL.list_picks(db, chosen)]),
                        hide_index=True, width="stretch", placeholder="—")
                balance = PL.valence_balance(db, chosen)
                st.caption(t("projective.valence_line", positive=balance.get("positive", 0),
                             neutral=balance.get("neutral", 0), negative=balance.get("negative", 0)))

# ---------------------------------------------------------------- portrait
portraits = PT.list_sessions(db)
portrait = portraits[-1] if portraits else None

with tab_portrait:
    if portrait is None:
        st.info(t("projective.no_portrait"), icon=":material/theater_comedy:")
    else:
        st.caption(t("projective.portrait_line", name=portrait.name, n=len(PT.list_answers(db, portrait.id))))
        profile_rows = []
        for target in portrait.targets:
            for s in PT.trait_profile(db, target, session_id=portrait.id)[:10]:
                profile_rows.append({"target": target, "trait": s.trait.label(lang), "share": round(s.share * 100),
                                     "n": s.count})
        if profile_rows:
            pf = pd.DataFrame(profile_rows)
            chart_with_height(alt.Chart(pf).mark_rect(cornerRadius=3).encode(
                x=alt.X("target:N", title=None, sort=portrait.targets, axis=alt.Axis(labelAngle=0, orient="top")),
                y=alt.Y("trait:N", title=None, sort=alt.EncodingSortField("n", op="sum", order="descending"),
                        axis=alt.Axis(labelOverlap=False)),
                color=alt.Color("share:Q", title=t("projective.share"), scale=alt.Scale(scheme="purples")),
                tooltip=[alt.Tooltip("target:N", title=t("portrait.target")),
                         alt.Tooltip("trait:N", title=t("projective.tip.trait")),
                         alt.Tooltip("share:Q", title=t("projective.share")),
                         alt.Tooltip("n:Q", title=t("projective.tip.answers"))],
            ).properties(height=max(260, 26 * pf["trait"].nunique()), title=t("projective.traits_by_target")))
        target = st.radio(t("portrait.target"), portrait.targets, horizontal=True, key="pa_target")
        group = st.segmented_control(t("portrait.group"), ["customers", "employees"], key="pa_group",
                                     format_func=lambda g: t(f"portrait.group.{g}"))
        grouped = PT.grouped_answers(db, portrait.id, target=target, group=group).get(target, {})
        filled = [cat for cat in portrait.categories if grouped.get(cat["key"])]
        halves = st.columns(2)
        for n, cat in enumerate(filled):
            gs = grouped[cat["key"]]
            box = halves[n % 2]
            box.markdown(f"##### {portrait.category_label(cat['key'], lang)}")
            for g in gs[:5]:
                tags = " ".join(f":violet-badge[{trait_name(k)} {c}]" for k, c in g.traits.most_common(4))
                split = g.by_group()
                with box.expander(f"**{g.label}** × {g.count} ({t('portrait.group.customers')} "
                                 f"{split.get('customers', 0)}, {t('portrait.group.employees')} "
                                 f"{split.get('employees', 0)})"):
                    if tags:
                        st.markdown(tags)
                    answer_lines(g.answers)

# ---------------------------------------------------------------- brand against competitors
with tab_competitors:
    if portrait is None or not portrait.competitors:
        st.info(t("projective.no_competitors"), icon=":material/compare:")
    else:
        wrapped_table(pd.DataFrame(PT.brand_comparison(db, lang)).rename(columns={"category": t("portrait.category")}),
                      t("portrait.category"))
        for competitor in portrait.competitors:
            st.markdown(f"#### {portrait.brand} · {competitor}")
            contrasts = PT.compare_targets(db, portrait.brand, competitor, session_id=portrait.id)[:8]
            if not contrasts:
                st.caption(t("projective.no_contrast"))
                continue
            cf = pd.DataFrame([{"trait": c.trait.label(lang), "gap": round(c.gap * 100),
                                "side": portrait.brand if c.gap > 0 else competitor} for c in contrasts])
            chart_with_height(alt.Chart(cf).mark_bar(cornerRadius=3).encode(
                y=alt.Y("trait:N", sort=alt.EncodingSortField("gap", order="descending"), title=None),
                x=alt.X("gap:Q", title=t("projective.gap", left=portrait.brand, right=competitor)),
                color=alt.Color("side:N", title=None, scale=alt.Scale(domain=[portrait.brand, competitor],
                                                                      range=["#2f6f9f", "#d08c3a"]),
                                legend=alt.Legend(orient="top")),
                tooltip=[alt.Tooltip("trait:N", title=t("projective.tip.trait")),
                         alt.Tooltip("gap:Q", title=t("projective.tip.gap"))],
            ).properties(height=30 * len(cf) + 50))
            for c in contrasts:
                lead, other = (portrait.brand, competitor) if c.gap > 0 else (competitor, portrait.brand)
                left = c.left.count if c.left else 0
                right = c.right.count if c.right else 0
                with st.expander(t("projective.contrast_line", lead=lead, other=other, trait=c.trait.label(lang),
                                   a=max(c.left_share, c.right_share), b=min(c.left_share, c.right_share))):
                    contrast_sides(c, f"{portrait.brand} ({left})", f"{competitor} ({right})")

# ---------------------------------------------------------------- employees against customers
with tab_groups:
    if portrait is None:
        st.info(t("projective.no_portrait"), icon=":material/theater_comedy:")
    else:
        target = st.radio(t("portrait.target"), portrait.targets, horizontal=True, key="pa_groups_target")
        contrasts = PT.group_divergence(db, target, session_id=portrait.id)[:10]
        if not contrasts:
            st.caption(t("projective.no_divergence"))
        else:
            emp, cus = t("portrait.group.employees"), t("portrait.group.customers")
            rows = []
            for c in contrasts:
                rows += [{"trait": c.trait.label(lang), "group": emp, "share": -round(c.left_share * 100)},
                         {"trait": c.trait.label(lang), "group": cus, "share": round(c.right_share * 100)}]
            gf = pd.DataFrame(rows)
            chart_with_height(alt.Chart(gf).mark_bar(cornerRadius=3).encode(
                y=alt.Y("trait:N", title=None, sort=[c.trait.label(lang) for c in contrasts]),
                x=alt.X("share:Q", title=t("projective.mirror_axis"), axis=alt.Axis(labelExpr="abs(datum.value) + '%'")),
                color=alt.Color("group:N", title=None, scale=alt.Scale(domain=[emp, cus], range=["#7a5c99", "#3d8b8b"]),
                                legend=alt.Legend(orient="top")),
                tooltip=[alt.Tooltip("trait:N", title=t("projective.tip.trait")),
                         alt.Tooltip("group:N", title=t("projective.tip.group")),
                         alt.Tooltip("share:Q", title=t("projective.share"), format="+d")],
            ).properties(height=30 * len(contrasts) + 50, title=t("projective.mirror_title", target=target)))
            for c in contrasts:
                more = emp if c.gap > 0 else cus
                with st.expander(t("projective.divergence_line", trait=c.trait.label(lang), group=more,
                                   emp=c.left_share, cus=c.right_share)):
                    contrast_sides(c, emp, cus)
        st.markdown(f"##### {t('projective.by_category')}")
        emp, cus = t("portrait.group.employees"), t("portrait.group.customers")
        rows = [{t("portrait.category"): portrait.category_label(d["category"], lang),
                 emp.capitalize(): " · ".join(f"{g.label} ({g.count})" for g in d["employees"]) or "—",
                 cus.capitalize(): " · ".join(f"{g.label} ({g.count})" for g in d["customers"]) or "—",
                 t("projective.shared_answers"): "✓" if d["shared"] else "✗"}
                for d in PT.category_divergence(db, target, portrait.id)]
        if rows:
            wrapped_table(pd.DataFrame(rows), t("portrait.category"))

# ---------------------------------------------------------------- brand platform
with tab_platform:
    if portrait is None:
        st.info(t("projective.no_portrait"), icon=":material/theater_comedy:")
    else:
        links = PT.platform_links(db, portrait.brand, session_id=portrait.id)
        pick_links = {pl.element: pl for pl in PL.platform_links(db)}
        st.caption(t("projective.platform_help"))
        if not links:
            st.info(t("projective.no_platform"), icon=":material/flag:")
        colours = {"supported": "green", "contradicted": "red", "mixed": "orange", "thin": "gray", "absent": "gray"}
        for link in links:
            badge = f":{colours[link.verdict]}-badge[{t(f'projective.verdict.{link.verdict}')}]"
            kind = t(f"projective.kind.{link.kind}")
            with st.container(border=True):
                st.markdown(f"**{link.element}** · {kind} {badge}")
                c1, c2 = st.columns(2)
                with c1:
                    st.caption(t("projective.supports"))
                    for s in link.supporting[:5]:
                        with st.expander(t("projective.trait_share", trait=s.trait.label(lang), n=s.count,
                                           share=s.share)):
                            answer_lines(s.answers, 8)
                    if not link.supporting:
                        st.markdown("—")
                with c2:
                    st.caption(t("projective.contradicts"))
                    for s in link.contradicting[:5]:
                        with st.expander(t("projective.trait_share", trait=s.trait.label(lang), n=s.count,
                                           share=s.share)):
                            answer_lines(s.answers, 8)
                    if not link.contradicting:
                        st.markdown("—")
                echo = pick_links.get(link.element)
                if echo and (echo.supporting or echo.contradicting):
                    parts = [f":green[{trait_name(k)} ({len(ps)})]" for k, ps in echo.supporting] + \
                            [f":red[{trait_name(k)} ({len(ps)})]" for k, ps in echo.contradicting]
                    with st.popover(t("projective.photolanguage_echo", traits=" · ".join(
                            trait_name(k) for k, _ in echo.supporting + echo.contradicting)),
                            icon=":material/photo_library:"):
                        st.markdown(" ".join(parts))
                        pick_lines([p for _, ps in echo.supporting + echo.contradicting for p in ps])
