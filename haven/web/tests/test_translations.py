"""French and Korean are complete: every string the code and the templates mark for translation has a translation
that is not fuzzy, and the compiled catalogues (.mo, what Django reads) say what their sources (.po) say.

Extraction is Django's own `makemessages`, run on a copy of the package so the repository is left alone. It needs
GNU gettext, which scripts/install-system-deps.sh (`make test`) installs."""
from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import haven

PACKAGE = Path(haven.__file__).resolve().parent
LANGUAGES = ("fr", "ko")
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msgattrib", "msgfmt")


def catalogue(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def msgids(po_text: str) -> list[str]:
    """The msgids of a .po text as written (first line of each), the header's empty one left out."""
    return [line[len("msgid "):] for line in po_text.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the package whose catalogues `makemessages` has brought up to date with the sources."""
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"GNU gettext is missing ({', '.join(missing)}): run scripts/install-system-deps.sh")
    copy = tmp_path_factory.mktemp("messages") / "haven"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "tests"))
    languages = [f"--locale={language}" for language in LANGUAGES]
    subprocess.run([sys.executable, "-m", "haven", "makemessages", "--no-obsolete", *languages], cwd=copy,
                   check=True, capture_output=True, text=True)
    return copy


def attrib(po: Path, *options: str) -> list[str]:
    out = subprocess.run(["msgattrib", *options, str(po)], check=True, capture_output=True, text=True).stdout
    return msgids(out)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(extracted, language):
    po = catalogue(extracted, language)
    assert len(msgids(po.read_text(encoding="utf-8"))) > 500  # the extraction found the project's strings
    assert attrib(po, "--untranslated") == [], f"untranslated in {language}: run `make messages` and translate"
    assert attrib(po, "--only-fuzzy") == [], f"fuzzy in {language}: check the translation and drop the flag"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(tmp_path, language):
    po = catalogue(PACKAGE, language)
    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext is missing (msgfmt): run scripts/install-system-deps.sh")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True, capture_output=True, text=True)
    with fresh.open("rb") as compiled_now, po.with_suffix(".mo").open("rb") as committed:
        expected = gettext.GNUTranslations(compiled_now)._catalog
        actual = gettext.GNUTranslations(committed)._catalog
    assert actual == expected, f"{po.with_suffix('.mo')} is stale: run `make messages`"
