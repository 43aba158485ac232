"""The `ecoute` command: thin over the same services the pages use.

Every command takes `--db PATH` (else ECOUTE_DB, else data/ecoute.db) and turns domain errors into
a clear message and exit status 1, never a traceback.
"""
from __future__ import annotations

import sys
from functools import wraps
from pathlib import Path

import click

from research import store
from research.errors import DomainError


def domain_errors(fn):
    """Show a DomainError as one clear line on stderr and exit 1."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None,
    help="Workspace database (default: $ECOUTE_DB, else data/ecoute.db).",
)


def open_db(db_path: str | None):
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
              help="Your coded examples, lines of {\"text\": ..., \"label\": ...}, to learn from.")
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
        click.echo(f"run {run['id']}: {run['coded']} utterances coded, {run['themes']} themes")
        return
    if input_path is None or out_path is None:
        raise click.UsageError("give INPUT.jsonl and --out OUTPUT.jsonl, or --workspace")
    from research.nlp.files import analyze_files

    summary = analyze_files(input_path, out_path, lang=lang, labels_path=labels_path, echo=echo,
                            use_cache=not no_cache)
    echo(f"{summary['count']} utterances analysed -> {out_path}")


def main(argv=None):
    return cli.main(args=argv, prog_name="ecoute")


if __name__ == "__main__":
    sys.exit(main())
