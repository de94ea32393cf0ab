"""The Spanish catalogue is complete and compiled: CI runs `make messages` first, so a
string marked for translation and not yet translated fails here."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogues(code: str) -> list[Path]:
    folder = LOCALE / code / "LC_MESSAGES"
    return sorted(folder.glob("*.po"))


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_language_has_a_catalogue(code):
    assert [path.name for path in catalogues(code)][:1] == ["django.po"]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    for path in catalogues(code):
        catalogue = polib.pofile(str(path))
        untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

        assert untranslated == [], f"{path.name}: {len(untranslated)} untranslated"
        assert fuzzy == [], f"{path.name}: {len(fuzzy)} fuzzy"


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(code):
    for path in catalogues(code):
        source = polib.pofile(str(path))
        compiled = polib.mofile(str(path.with_suffix(".mo")))

        def messages(catalogue):
            return {
                (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
                for entry in catalogue
                if entry.msgid and not entry.obsolete
            }

        assert messages(compiled) == messages(source), f"run `make messages` ({path.name})"


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_placeholders_survive_translation(code):
    """A translation names no %(name)s its message doesn't have (that would crash the
    page); a singular may leave out the count ("Un lugar")."""
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for path in catalogues(code):
        for entry in polib.pofile(str(path)):
            known = set(placeholder.findall(entry.msgid + (entry.msgid_plural or "")))
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                assert set(placeholder.findall(text)) <= known, entry.msgid
