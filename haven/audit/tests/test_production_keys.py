"""Production without HAVEN_ENCRYPTION_KEYS or HAVEN_AUDIT_KEYS: `haven check --deploy` fails and the WSGI
application refuses to start (issue 14)."""
import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase, override_settings

from haven.audit.checks import production_keys

ROOT = Path(__file__).resolve().parents[3]
FERNET = "x2dLxwVDuvlbbyq1ktxo2Z5sX1pBYqPxAGYmWg4FKXU="
AUDIT = "an audit key of at least thirty-two characters"


def _production(tmp: str, **variables: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("HAVEN_")}
    env.update(HAVEN_ENV="production", HAVEN_SECRET_KEY="s" * 50, HAVEN_ALLOWED_HOSTS="haven.example.org",
               HAVEN_VAR_DIR=tmp, PYTHONPATH=str(ROOT), DATABASE_URL=f"sqlite:///{tmp}/haven.sqlite3", **variables)
    return env


class ProductionKeysTests(SimpleTestCase):
    @override_settings(HAVEN_ALLOW_LOCAL_KEY=False, HAVEN_ENCRYPTION_KEYS=[], HAVEN_AUDIT_KEYS=[])
    def test_missing_keys_are_errors(self):
        self.assertEqual([error.id for error in production_keys()], ["haven.E001", "haven.E003"])

    @override_settings(HAVEN_ALLOW_LOCAL_KEY=False, HAVEN_ENCRYPTION_KEYS=["not a key"], HAVEN_AUDIT_KEYS=["short"])
    def test_malformed_keys_are_errors(self):
        self.assertEqual([error.id for error in production_keys()], ["haven.E002", "haven.E004"])

    @override_settings(HAVEN_ALLOW_LOCAL_KEY=False, HAVEN_ENCRYPTION_KEYS=[FERNET], HAVEN_AUDIT_KEYS=[AUDIT])
    def test_configured_keys_pass(self):
        self.assertEqual(production_keys(), [])

    def test_check_deploy_fails_and_the_server_refuses_to_start_without_keys(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            check = subprocess.run([sys.executable, "-m", "haven", "check", "--deploy"], cwd=ROOT,
                                   env=_production(tmp), capture_output=True, text=True, timeout=120)
            self.assertNotEqual(check.returncode, 0)
            self.assertIn("haven.E001", check.stderr)
            self.assertIn("haven.E003", check.stderr)
            serve = subprocess.run([sys.executable, "-c", "import haven.wsgi"], cwd=ROOT,
                                   env=_production(tmp, HAVEN_ENCRYPTION_KEYS=FERNET), capture_output=True,
                                   text=True, timeout=120)
            self.assertNotEqual(serve.returncode, 0)
            self.assertIn("Haven refuses to start: HAVEN_AUDIT_KEYS is not set", serve.stderr)
            started = subprocess.run([sys.executable, "-c", "import haven.wsgi"], cwd=ROOT, timeout=120,
                                     env=_production(tmp, HAVEN_ENCRYPTION_KEYS=FERNET, HAVEN_AUDIT_KEYS=AUDIT),
                                     capture_output=True, text=True)
            self.assertEqual(started.returncode, 0, started.stderr)
