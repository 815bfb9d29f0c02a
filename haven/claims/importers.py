"""Import kinds this app provides (found by haven.transfer.registry's autodiscovery)."""
from haven.claims.importing import run_claims_import
from haven.transfer.registry import Importer, register

register(Importer(kind="claims", help="In-land protection claims, one row per claim (docs/import-claims.md)",
                  run=run_claims_import))
