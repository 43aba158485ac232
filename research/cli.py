"""The `ecoute` command: thin over the same services the pages use.

Every command takes `--db PATH` (else ECOUTE_DB, else data/ecoute.db) and turns domain errors into
a clear message and exit status 1, never a traceback.
"""
from __future__ import annotations

import os
import sys
from functools import wraps
from pathlib import Path

import click

from research.errors import DomainError
from research.numbers import fill


def domain_errors(fn):
    """Show a DomainError, or a file that cannot be read or written, as one clear line on stderr and exit 1."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as e:
            raise click.ClickException(str(e)) from e
        except OSError as e:
            if not e.filename:
                raise
            raise click.ClickException(f"{e.filename}: {e.strerror or e}") from e

    return wrapper


def check_can_write(path: Path) -> None:
    """Refuse an output path whose folder is missing before any work is done, not after."""
    folder = path.expanduser().resolve().parent
    if not folder.is_dir():
        raise click.ClickException(f"{path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise click.ClickException(f"{path}: the folder {folder} is not writable.")


db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None,
    help="Workspace database (default: $ECOUTE_DB, else data/ecoute.db).",
)


def open_db(db_path: str | None):
    from research import store

    return store.open_database(store.resolve_db_path(db_path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ecoute")
def cli():
    """Écoute: voice-of-customer research workbench."""


@cli.command()
@db_option
@domain_errors
def info(db_path):
    """Show what the workspace holds and its schema migrations."""
    from research import store
    from research.overview import study_figures
    from research.workspace import get_workspace

    path = store.resolve_db_path(db_path)
    db = store.open_database(path, create=False)
    ws = get_workspace(db)
    click.echo(f"workspace: {path}")
    click.echo(f"brand: {ws.brand_name or '(not set)'}")
    for key, value in study_figures(db).items():
        click.echo(f"{key}: {value}")
    click.echo(f"migrations: {len(store.applied_migrations(db))}")


@cli.command()
@db_option
@domain_errors
def migrate(db_path):
    """Create or upgrade the workspace database schema."""
    from research import store

    path = store.resolve_db_path(db_path)
    db = store.connect(path) if path.exists() else None
    pending = len(store.pending_migrations(db)) if db else None
    if db:
        db.close()
    store.open_database(path).close()
    click.echo(f"{path}: up to date" + (f" ({pending} migrations applied)" if pending else ""))


@cli.command()
@db_option
@click.option("--force", is_flag=True, help="Replace an existing database with the demo.")
@click.option("--if-missing", is_flag=True, help="Do nothing (and succeed) when the database exists.")
@click.option("--analysis/--no-analysis", default=True, show_default=True,
              help="Run the analysis on the demo interviews, so the synthesis pages show findings.")
@domain_errors
def demo(db_path, force, if_missing, analysis):
    """Create the demo workspace (Alizé Mutuelle, a fictional French mutual insurer)."""
    from research import store
    from research.demo import build_demo

    path = store.resolve_db_path(db_path)
    if if_missing and path.exists() and path.stat().st_size > 0:
        click.echo(f"{path}: exists, left as it is")
        return
    click.echo(f"building the demo workspace in {path}…", err=True)
    db = build_demo(path, force=force)
    try:
        if analysis:
            from research.synthesis_store import analyze_demo

            analyze_demo(db, echo=lambda text: click.echo(text, err=True))
    finally:
        db.close()
    click.echo(f"{path}: demo workspace ready")


@cli.command()
@click.argument("input_path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write one JSON line per input id.")
@click.option("--lang", type=click.Choice(["fr", "en", "auto"]), default="auto", show_default=True)
@click.option("--labels", "labels_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Your coded examples, lines of {\"text\": ..., \"label\": ...}, to learn from "
                   "(an utterance you coded keeps your code).")
@click.option("--workspace", is_flag=True, help="Analyse the workspace's interviews and store the results.")
@click.option("--no-cache", is_flag=True, help="Recompute even when the corpus is unchanged.")
@db_option
@domain_errors
def analyze(input_path, out_path, lang, labels_path, workspace, no_cache, db_path):
    """Code utterances as irritants, enchantments or neutral and group them into themes.

    Either INPUT.jsonl --out OUTPUT.jsonl (lines with "id" and "text"), or --workspace.
    """
    def echo(text):
        click.echo(text, err=True)

    if workspace:
        from research.nlp.workspace import analyze_workspace

        db = open_db(db_path)
        try:
            last = {"pct": -1}

            def progress(done, total=None, message=""):
                pct = int(100 * done / total) if total else 100
                if pct != last["pct"]:
                    last["pct"] = pct
                    echo(f"[{pct:3d} %] {message.rsplit('.', 1)[-1]}")

            run = analyze_workspace(db, progress=progress)
        finally:
            db.close()
        click.echo(fill("run {id}: {n} utterance{n:|s} coded, {k} theme{k:|s}", "en", id=run["id"], n=run["coded"],
                        k=run["themes"]))
        return
    if input_path is None or out_path is None:
        raise click.UsageError("give INPUT.jsonl and --out OUTPUT.jsonl, or --workspace")
    check_can_write(out_path)
    from research.nlp.files import analyze_files

    summary = analyze_files(input_path, out_path, lang=lang, labels_path=labels_path, echo=echo,
                            use_cache=not no_cache)
    echo(fill("{n} utterance{n:|s} analysed -> {out}", "en", n=summary["count"], out=out_path))


@cli.group()
def models():
    """Model artefacts derived at set-up time (the int8 ONNX embedding model, the seed classifier)."""


@models.command("prepare")
@click.option("--force", is_flag=True, help="Rebuild even when they exist for the installed packages.")
def models_prepare(force):
    """Build models/derived/: the int8 ONNX embedding model, spaCy's English tokenizer rules, the seed n-gram
    model, the French accent table.

    Offline, about fifteen seconds. Run by `make setup`; `ecoute analyze` does it on first use otherwise.
    Those built there for other installed versions or other seeds are removed.
    """
    from research.nlp import accents, classify, derived, english_tokenizer
    from research.nlp.onnx_encoder import OnnxModelError, folder_name, prepare

    try:
        folder = prepare(force=force, echo=lambda text: click.echo(text, err=True))
        rules = english_tokenizer.prepare(force=force)
        ngrams = classify.prepare_seed_ngrams(force=force)
        french_accents = accents.prepare_french_accents(force=force)
    except (OnnxModelError, OSError) as e:
        raise click.ClickException(str(e)) from e
    for kept, kind in ((folder, folder_name("*")), (rules, english_tokenizer.RULE_FILES),
                       (ngrams, classify.NGRAM_FILES), (french_accents, accents.ACCENT_FILES)):
        click.echo(str(kept))
        for old in derived.drop_superseded(kept, kind):
            click.echo(f"removed {old.name}, built for other versions or seeds", err=True)


@models.command("train-classifier")
def models_train_classifier():
    """Retrain the seed classifier for the current embedding model and write models/cx_classifier.json.

    Needed after the seeds, the lexicons or the default embedding model change; otherwise every
    analysis retrains it from the seeds at run time.
    """
    from research.nlp import classify, pipeline
    from research.nlp.embed import SentenceEmbedder

    embedder = SentenceEmbedder()
    scores = classify.build_artefact(embedder, pipeline.describe_texts)  # what the pipeline trains with
    for name, value in scores.items():
        click.echo(f"{name}: {value}", err=True)
    click.echo(f"{classify.ARTEFACT}: trained for {embedder.model_name}")


@cli.group()
def transcript():
    """Import transcripts into interviews."""


@transcript.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--interview", "interview_id", type=int, required=True, help="The interview it belongs to.")
@click.option("--format", "fmt", type=click.Choice(["txt", "docx", "vtt", "srt"]), default=None,
              help="Default: from the file's extension.")
@click.option("--speaker", "speakers", multiple=True, metavar="NAME=ROLE",
              help="Map a speaker: NAME=interviewer, NAME=ignore or NAME=P-014 (a participant code). Repeatable.")
@click.option("--on-duplicate", type=click.Choice(["refuse", "replace", "keep-both"]), default="refuse",
              show_default=True, help="What to do when the same file was imported before.")
@click.option("--pseudonymise/--no-pseudonymise", default=None,
              help="Replace names, e-mails, phones and addresses with placeholders (default: the workspace setting, on).")
@db_option
@domain_errors
def transcript_import(file, interview_id, fmt, speakers, on_duplicate, pseudonymise, db_path):
    """Import FILE (.txt, .docx, .vtt, .srt) into an interview, split into utterances."""
    from research.participants import find_by_code, list_participants
    from research.transcripts import import_transcript

    db = open_db(db_path)
    try:
        mapping = {}
        for item in speakers:
            name, sep, role = item.partition("=")
            if not sep or not name.strip():
                raise click.UsageError(f"--speaker expects NAME=ROLE, got {item!r}")
            role = role.strip()
            if role not in ("interviewer", "ignore"):
                participant = find_by_code(db, role)
                if participant is None:
                    raise click.UsageError(f"no participant with the code {role!r}")
                role = participant.id
            mapping[name.strip()] = role
        result = import_transcript(db, interview_id, file.read_bytes(), filename=file.name, fmt=fmt,
                                   speakers=mapping, on_duplicate={"refuse": None, "keep-both": "keep_both"}.get(
                                       on_duplicate, on_duplicate), pseudonymise=pseudonymise)
        codes = {p.id: p.code for p in list_participants(db)}
    finally:
        db.close()
    who = ", ".join(f"{k} → {codes.get(v, v)}" for k, v in result.speakers.items())
    click.echo(fill("transcript {id}: {n} utterance{n:|s}, {k} linked to journey steps ({who})", "en",
                    id=result.transcript_id, n=result.utterances, k=result.linked_to_steps, who=who))


@cli.group()
def guide():
    """Interview guides."""


@guide.command("export")
@click.argument("guide_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["md", "docx", "html"]), default="md", show_default=True)
@click.option("--version", "version_number", type=int, default=None, help="A frozen version (default: the draft).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@db_option
@domain_errors
def guide_export(guide_id, fmt, version_number, out_path, db_path):
    """Export an interview guide to Markdown, DOCX or print-ready HTML."""
    from research.guides import GuideError, export_guide, get_guide, get_guide_version, list_versions

    db = open_db(db_path)
    try:
        guide_obj = get_guide(db, guide_id)
        if version_number is not None:
            match = [v for v in list_versions(db, guide_id) if v["number"] == version_number]
            if not match:
                raise GuideError(f"Guide {guide_id} has no version {version_number}.", key="guides.err.version",
                                 id=version_number)
            guide_obj = get_guide_version(db, match[0]["id"])
        data = export_guide(db, guide_obj, fmt)
    finally:
        db.close()
    out_path.write_bytes(data)
    click.echo(f"{out_path}: {len(guide_obj.sections)} sections, {guide_obj.minutes} min")


@cli.group()
def committee():
    """Customer committees."""


@committee.command("list")
@db_option
@domain_errors
def committee_list(db_path):
    """The committees, with their next session and what is due."""
    from research.committee_followups import reminders
    from research.committee_sessions import next_session
    from research.committees import list_committees, list_members

    db = open_db(db_path)
    try:
        for c in list_committees(db):
            nxt = next_session(db, c.id)
            active = len(list_members(db, c.id, statuses=("active",)))
            click.echo(f"{c.id}\t{c.name}\t{active}/{c.target_size} active\tnext: "
                       + (nxt.starts_at.strftime("%Y-%m-%d %H:%M %Z") if nxt else "-")
                       + f"\t{len(reminders(db, c.id))} reminders")
    finally:
        db.close()


@committee.command("ics")
@click.argument("committee_id", type=int)
@click.option("--session", "session_id", type=int, default=None, help="Only this session.")
@click.option("--member", "member_code", default=None, help="Only this member's invitations (a code like P-014).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@db_option
@domain_errors
def committee_ics(committee_id, session_id, member_code, out_path, db_path):
    """Export sessions as an iCalendar (.ics) file: the whole series, one session or one member's."""
    from research.committee_calendar import member_ics, series_ics, session_ics
    from research.committees import CommitteeError
    from research.participants import find_by_code

    db = open_db(db_path)
    try:
        if session_id is not None:
            data = session_ics(db, session_id)
        elif member_code:
            person = find_by_code(db, member_code)
            if person is None:
                raise CommitteeError(f"No participant {member_code}.", key="committees.err.unknown_code",
                                     code=member_code)
            data = member_ics(db, committee_id, person.id)
        else:
            data = series_ics(db, committee_id)
    finally:
        db.close()
    out_path.write_bytes(data)
    click.echo(f"{out_path}: {data.count(b'BEGIN:VEVENT')} sessions")


@cli.group()
def accounts():
    """Accounts: list them, create one, set a password, lift a sign-in lock (the way back in for an
    admin who lost their password: whoever may write the workspace file may do this)."""


@accounts.command("list")
@db_option
@domain_errors
def accounts_list(db_path):
    """Every account: username, role, active or not, last sign-in, sign-in lock."""
    from research import auth

    db = open_db(db_path)
    try:
        for u in auth.list_users(db):
            locked = auth.locked_for(db, u.username)
            click.echo("  ".join([f"{u.username:<20}", f"{u.role:<10}", "active  " if u.active else "inactive",
                                  f"last sign-in {u.last_sign_in or 'never'}",
                                  "no password (organisation sign-in)" if not u.has_password else "",
                                  fill("locked for {n} more minute{n:|s}", "en", n=locked) if locked else ""]).rstrip())
    finally:
        db.close()


def _new_password(given: str | None) -> str:
    """`--password-stdin`'s line, else asked twice without echo."""
    if given is not None:
        return given
    return click.prompt("New password", hide_input=True, confirmation_prompt="Repeat it")


password_stdin_option = click.option(
    "--password-stdin", "from_stdin", is_flag=True,
    help="Read the password from the first line of standard input instead of asking for it (for scripts).")


def _stdin_password(from_stdin: bool) -> str | None:
    return sys.stdin.readline().rstrip("\r\n") if from_stdin else None


@accounts.command("create")
@click.argument("username")
# research.auth.ROLES, written out: importing research.auth here would slow every command down
@click.option("--role", type=click.Choice(["admin", "researcher", "organiser", "marketer"]), required=True)
@click.option("--name", "display_name", default="", help="The name shown in the app.")
@click.option("--email", default="", help="For the organisation's sign-in (OpenID Connect).")
@click.option("--no-password", is_flag=True, help="An account that only signs in through the organisation.")
@password_stdin_option
@db_option
@domain_errors
def accounts_create(username, role, display_name, email, no_password, from_stdin, db_path):
    """Create the account USERNAME (the password is asked for twice, without echo)."""
    from research import audit, auth

    db = open_db(db_path)
    try:
        password = None if no_password else _new_password(_stdin_password(from_stdin))
        with db.atomic():
            user = auth.create_user(db, username, password, role, display_name=display_name, email=email)
            audit.record(db, None, "create", "user", user.id, f"{user.username} ({user.role})")
    finally:
        db.close()
    click.echo(f"account {user.username} created ({user.role})")


@accounts.command("set-password")
@click.argument("username")
@password_stdin_option
@db_option
@domain_errors
def accounts_set_password(username, from_stdin, db_path):
    """Give USERNAME a new password (asked for twice, without echo); lifts its sign-in lock."""
    from research import auth

    db = open_db(db_path)
    try:
        auth.get_user_named(db, username)  # a missing account is said before the password is asked for
        user = auth.reset_password(db, username, _new_password(_stdin_password(from_stdin)))
    finally:
        db.close()
    click.echo(f"new password set for {user.username}" + ("" if user.active else
                                                           " (the account is inactive: an admin must activate it)"))


@accounts.command("unlock")
@click.argument("username")
@db_option
@domain_errors
def accounts_unlock(username, db_path):
    """Let USERNAME try signing in again now, after too many wrong passwords."""
    from research import auth

    db = open_db(db_path)
    try:
        was = auth.unlock(db, username)
    finally:
        db.close()
    click.echo(f"{username.strip().lower()}: " + ("unlocked" if was else "was not locked"))


@cli.group()
def scores():
    """Recommendation (NPS) and effort (CES) scores."""


@scores.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@domain_errors
def scores_import(file, db_path):
    """Import FILE, a CSV table: participant, nps and/or ces, optionally interview (else the latest done)."""
    from research.scores import import_csv

    db = open_db(db_path)
    try:
        result = import_csv(db, file.read_bytes())
    finally:
        db.close()
    click.echo(fill("{rows} score{rows:|s} read; {changed} participant{changed:|s} updated", "en",
                    rows=result.rows, changed=result.changed))


@cli.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@db_option
@domain_errors
def backup_cmd(dest, db_path):
    """Copy the live workspace to DEST (a file, or a folder for a dated file) with SQLite's online backup."""
    from research import store
    from research.backup import backup

    written = backup(store.resolve_db_path(db_path), dest)
    click.echo(f"backup written to {written} ({written.stat().st_size // 1024} KiB)")


@cli.command("restore")
@click.argument("src", type=click.Path(path_type=Path))
@db_option
@domain_errors
def restore_cmd(src, db_path):
    """Replace the workspace with the backup SRC, after checking it; the current file is kept aside."""
    from research import store
    from research.backup import restore

    kept = restore(src, store.resolve_db_path(db_path))
    click.echo(f"restored from {src}" + (f"; the previous workspace was kept as {kept}" if kept else ""))


def main(argv=None):
    return cli.main(args=argv, prog_name="ecoute")




@cli.group()
def images():
    """The image library for photolanguage."""


@images.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--tag", "tags", multiple=True, help="A tag for every image imported (repeatable).")
@click.option("--author", default="", help="Author of the images.")
@click.option("--licence", default="", help="Licence of the images.")
@db_option
@domain_errors
def images_import(path, tags, author, licence, db_path):
    """Import a folder, a .zip or one image (JPEG, PNG, WebP); bad files are reported, good ones kept."""
    from research.images import import_path

    report = import_path(open_db(db_path), path, tags=tags, author=author, licence=licence)
    click.echo(f"{len(report.imported)} imported, {len(report.duplicates)} duplicates skipped, "
               f"{len(report.rejected)} refused")
    for name, code in report.duplicates:
        click.echo(f"  duplicate: {name} = {code}")
    for new, old in report.near_duplicates:
        click.echo(f"  looks identical: {new} ~ {old}")
    for r in report.rejected:
        click.echo(f"  refused: {r.name} ({r.reason})", err=True)


@cli.group()
def photolanguage():
    """Photolanguage sessions."""


@photolanguage.command("sheets")
@click.argument("session_id", type=int)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@db_option
@domain_errors
def photolanguage_sheets(session_id, out_path, db_path):
    """Write the printable panel sheets (PDF) of a session, with the overlap between panels."""
    from research.photolanguage import panel_sheets_pdf, session_dealing

    db = open_db(db_path)
    out_path.write_bytes(panel_sheets_pdf(db, session_id))
    d = session_dealing(db, session_id)
    click.echo(f"{out_path}: {len(d.panels)} panels; largest overlap {d.max_overlap} "
               f"(minimum possible {d.lower_bound}), seed {d.seed}")


if __name__ == "__main__":
    sys.exit(main())
