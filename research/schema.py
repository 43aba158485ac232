"""The order in which the domain modules' migration sets are applied.

A module that owns tables declares `migrations = Migrations("name")` and is listed here, after the
modules whose tables it references.
"""
from research import (brand, consents, guides, interviews, journeys, participants, personas, scores,
                      synthesis_store, team_codes, transcripts, workspace)
from research import audit, auth, privacy
from research import committee_followups, committee_sessions, committees
from research import images, photolanguage, portrait
from research.nlp import store as analysis_store

MIGRATION_SETS = [
    workspace.migrations,
    brand.migrations,
    journeys.migrations,
    guides.migrations,
    personas.migrations,
    participants.migrations,
    consents.migrations,
    images.migrations,  # the image library; no foreign keys
    photolanguage.migrations,  # sessions, panels, picks: after participants and images
    portrait.migrations,  # sessions and answers: after participants
    interviews.migrations,
    scores.migrations,  # NPS and CES per participant of an interview
    transcripts.migrations,
    team_codes.migrations,  # the team's own codes on utterances
    committees.migrations,  # committees, quotas, members (participants, personas)
    committee_sessions.migrations,  # sessions, agenda, attendance, files, actions (interviews)
    committee_followups.migrations,
    privacy.migrations,  # pseudonym_map: no foreign keys, read by admins only
    analysis_store.migrations,
    synthesis_store.migrations,  # corrections only; no foreign key to other sets' tables
    auth.migrations,  # users; no foreign keys
    audit.migrations,  # audit_log; no foreign keys
]
