"""Welsh, whole: every string in the code and templates has a Welsh translation that is not fuzzy.

The test extracts the strings afresh (as ``makemessages`` does) into a copy of the catalogue and
fails, naming them, when any has no translation or a fuzzy one; and when the compiled catalogue
(``django.mo``) is older than its source. Run ``python manage.py makemessages -l cy`` and translate
what it names, then ``python manage.py compilemessages``.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Extracting every string takes a while; CI (bin/test) runs it with the slow tests.
pytestmark = pytest.mark.slow

BASE = Path(settings.BASE_DIR)
CATALOGUE = BASE / "locale" / "cy" / "LC_MESSAGES"
IGNORE = ["frontend/node_modules/*", "static/*", "tests/*", "bench/*", "docs/*", "htmlcov/*"]


def _entries(po_text: str) -> list[tuple[str, str, str]]:
    """(context, msgid, msgstr) of each entry of a .po text (msgstr of a plural: its first form)."""
    entries, current, field = [], {}, None
    for line in po_text.splitlines() + [""]:
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d+\]) "(.*)"$', line)
        if match:
            field = match.group(1)
            if field == "msgctxt" or (field == "msgid" and "msgid" in current):
                if "msgid" in current:
                    entries.append(current)
                current = {}
            current[field] = _unquote(match.group(2))
        elif line.startswith('"') and field:
            current[field] += _unquote(line[1:-1])
        elif not line.strip() and current:
            entries.append(current)
            current, field = {}, None
    return [(e.get("msgctxt", ""), e["msgid"], e.get("msgstr", e.get("msgstr[0]", "")))
            for e in entries if e.get("msgid")]


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    return re.sub(r'\\(.)', lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _attrib(po: Path, *flags: str) -> str:
    return subprocess.run(["msgattrib", *flags, str(po)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory):
    """The committed Welsh catalogue, merged with every string the code and templates have today.

    ``makemessages`` writes into the ``locale`` folder it finds beside the sources, so it runs on a
    copy of the sources, never on the committed catalogue."""
    copy = tmp_path_factory.mktemp("sources")
    skip = shutil.ignore_patterns(".*", "node_modules", "static", "__pycache__", "*.sqlite3", "media")
    for entry in BASE.iterdir():
        if entry.is_dir() and not entry.name.startswith(".") and entry.name not in ("static", "frontend", "media"):
            shutil.copytree(entry, copy / entry.name, ignore=skip)
        elif entry.is_file() and entry.suffix == ".py":
            shutil.copy(entry, copy / entry.name)
    command = [sys.executable, "manage.py", "makemessages", "-l", "cy", "--no-obsolete", "-v", "0"]
    for pattern in IGNORE:
        command += ["--ignore", pattern]
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "govtrack.settings"}
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)
    return copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_welsh_translation(fresh_catalogue):
    missing = [msgid for _ctx, msgid, _str in _entries(_attrib(fresh_catalogue, "--untranslated", "--no-obsolete"))]
    assert not missing, f"{len(missing)} strings have no Welsh translation, for example: {missing[:15]}"


def test_no_welsh_translation_is_fuzzy(fresh_catalogue):
    fuzzy = [msgid for _ctx, msgid, _str in _entries(_attrib(fresh_catalogue, "--only-fuzzy", "--no-obsolete"))]
    assert not fuzzy, f"{len(fuzzy)} Welsh translations are marked fuzzy (check and unmark them): {fuzzy[:15]}"


def test_the_compiled_catalogue_holds_every_translation_of_its_source():
    compiled = gettext.GNUTranslations((CATALOGUE / "django.mo").open("rb"))
    source = _entries((CATALOGUE / "django.po").read_text(encoding="utf-8"))
    stale = [msgid for ctx, msgid, msgstr in source if msgstr
             and (compiled.pgettext(ctx, msgid) if ctx else compiled.gettext(msgid)) != msgstr]
    assert not stale, f"django.mo is older than django.po: run compilemessages ({stale[:5]})"


def test_the_entry_reader_reads_contexts_plurals_and_continued_lines():
    text = ('msgid ""\nmsgstr ""\n"Language: cy\\n"\n\n#, fuzzy\nmsgctxt "month"\nmsgid "May"\nmsgstr "Mai"\n\n'
            'msgid ""\n"Two "\n"lines"\nmsgstr ""\n\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\n'
            'msgstr[1] "llawer"\n')
    assert _entries(text) == [("month", "May", "Mai"), ("", "Two lines", ""), ("", "one", "un")]
