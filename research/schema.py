"""The order in which the domain modules' migration sets are applied.

A module that owns tables declares `migrations = Migrations("name")` and is listed here, after the
modules whose tables it references.
"""
from research import brand, workspace

MIGRATION_SETS = [
    workspace.migrations,
    brand.migrations,
]
