"""The order in which the domain modules' migration sets are applied.

A module that owns tables declares `migrations = Migrations("name")` and is listed here, after the
modules whose tables it references.
"""
from research import brand, synthesis_store, workspace

MIGRATION_SETS = [
    workspace.migrations,
    brand.migrations,
    synthesis_store.migrations,  # corrections only; no foreign key to other sets' tables
]
