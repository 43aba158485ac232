"""Personas, participants with pseudonymous codes and contacts apart, and the consent register."""
from datetime import date, timedelta

import pytest

from research import consents as C
from research import participants as P
from research.personas import Persona, PersonaError, list_personas, save_persona


def test_personas_keep_their_lists_and_names_are_unique(fresh_db):
    pid = save_persona(fresh_db, Persona("Senior", "Retraité", ["Être rappelé"], ["L'attente"], ["Téléphone"], "Patient"))
    p = list_personas(fresh_db)[0]
    assert (p.id, p.goals, p.preferred_channels) == (pid, ["Être rappelé"], ["Téléphone"])
    with pytest.raises(PersonaError) as e:
        save_persona(fresh_db, Persona("senior"))
    assert e.value.key == "participants.err.persona_duplicate"


def test_participants_get_codes_and_their_contacts_live_apart(fresh_db):
    a = P.create_participant(fresh_db, "customer", contact=P.Contact("Anne Martin", "anne@exemple.fr"))
    e = P.create_participant(fresh_db, "employee")
    assert [p.code for p in P.list_participants(fresh_db)] == ["E-001", "P-001"]
    assert "Anne" not in str(list(fresh_db["participants"].rows))
    assert P.get_contact(fresh_db, a).email == "anne@exemple.fr" and P.get_contact(fresh_db, e).full_name == ""
    for kwargs, key in (({"kind": "boss"}, "participants.err.kind"), ({"code": "Anne"}, "participants.err.code"),
                        ({"code": "P-001"}, "participants.err.code_taken"),
                        ({"contact": P.Contact(email="pas-un-mail")}, "participants.err.email")):
        with pytest.raises(P.ParticipantError) as err:
            P.create_participant(fresh_db, **{"kind": "customer", **kwargs})
        assert err.value.key == key
    assert fresh_db["participants"].count == 2, "a refused participant leaves nothing behind"


def test_consent_validity_follows_scope_dates_expiry_and_withdrawal(fresh_db):
    pid = P.create_participant(fresh_db, "customer")
    today = date.today()
    cid = C.record_consent(fresh_db, pid, today - timedelta(days=10), ["interview", "quotes"],
                           expires_on=today + timedelta(days=5))
    assert C.has_valid_consent(fresh_db, pid, "quotes")
    assert not C.has_valid_consent(fresh_db, pid, "committee")
    assert not C.has_valid_consent(fresh_db, pid, "quotes", today + timedelta(days=6))
    assert not C.has_valid_consent(fresh_db, pid, "interview", today - timedelta(days=11))
    C.withdraw_consent(fresh_db, cid, today)
    assert not C.has_valid_consent(fresh_db, pid, "interview")


# days after today (counted when the test runs, not when it is collected: a run across midnight made
# "tomorrow" today), or a date as typed
@pytest.mark.parametrize("given,expires,scopes,key", [
    (1, None, ["interview"], "participants.err.consent_future"),
    (0, 0, ["interview"], "participants.err.consent_expiry"),
    (0, None, [], "participants.err.consent_scopes"),
    (0, None, ["marketing"], "participants.err.consent_scopes"),
    ("31/02/2026", None, ["interview"], "participants.err.date"),
])
def test_impossible_consents_are_refused(fresh_db, given, expires, scopes, key):
    given = date.today() + timedelta(days=given) if isinstance(given, int) else given
    expires = None if expires is None else date.today() + timedelta(days=expires)
    pid = P.create_participant(fresh_db, "customer")
    with pytest.raises(C.ConsentError) as e:
        C.record_consent(fresh_db, pid, given, scopes, expires_on=expires)
    assert e.value.key == key and fresh_db["consents"].count == 0
