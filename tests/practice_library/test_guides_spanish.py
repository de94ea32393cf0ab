"""The eleven activity guides in Spanish (migration 0010): every text the English has,
in the same shape, within the columns' limits, shown on the activity page in Spanish,
and the migration goes back and forth."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from practice_library.models import ActivityPattern, PatternStep

MIGRATION = importlib.import_module("practice_library.migrations.0010_activity_guides_in_spanish")
FIELDS = MIGRATION.PATTERN_FIELDS

# The glossary of issue 18.
SPANISH_NAMES = {
    "problem-solving": "Resolver problemas",
    "requests-for-information": "Pedir información",
    "seeking-experience": "Buscar experiencia",
    "reusing-assets": "Reutilizar recursos",
    "coordination-and-synergy": "Coordinación y sinergia",
    "building-an-argument": "Construir un argumento",
    "growing-confidence": "Ganar confianza",
    "discussing-new-developments": "Conversar sobre novedades",
    "documenting-projects": "Documentar proyectos",
    "visits": "Visitas",
    "identifying-gaps-in-competence": "Identificar vacíos de conocimiento",
}


def guide_columns() -> dict[str, dict]:
    """The stored columns, read past modeltranslation's fallback to English."""
    columns = [f"{field}_{lang}" for field in FIELDS for lang in ("en", "es")]
    return {row["slug"]: row for row in ActivityPattern.objects.values("slug", *columns)}


def step_columns() -> list[dict]:
    return list(
        PatternStep.objects.values("pattern__slug", "format", "position", "text_en", "text_es")
    )


def prompt_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.django_db
def test_spanish_guides_have_every_text_the_english_has():
    guides = guide_columns()

    assert {slug: row["name_es"] for slug, row in guides.items()} == SPANISH_NAMES
    for slug, row in guides.items():
        for field in FIELDS:
            assert row[f"{field}_es"] is not None, (slug, field)
            assert bool(row[f"{field}_es"]) == bool(row[f"{field}_en"]), (slug, field)
        assert len(prompt_lines(row["example_prompts_es"])) == len(
            prompt_lines(row["example_prompts_en"])
        ), slug
        assert row["post_template_es"].count("## ") == row["post_template_en"].count("## "), slug


@pytest.mark.django_db
def test_spanish_guides_fit_their_columns():
    guides = guide_columns()
    limits = {
        field: ActivityPattern._meta.get_field(f"{field}_es").max_length
        for field in FIELDS
        if ActivityPattern._meta.get_field(f"{field}_es").max_length
    }

    too_long = [
        (slug, field, len(row[f"{field}_es"]))
        for slug, row in guides.items()
        for field, limit in limits.items()
        if len(row[f"{field}_es"]) > limit
    ]
    step_limit = PatternStep._meta.get_field("text_es").max_length
    long_steps = [step for step in step_columns() if len(step["text_es"]) > step_limit]

    assert limits == {"name": 80, "purpose": 200, "invitation": 300, "group_size": 120}
    assert too_long == []
    assert long_steps == []


@pytest.mark.django_db
def test_every_step_has_its_spanish_text():
    steps = step_columns()

    assert len(steps) == sum(len(guide["steps"]) for guide in MIGRATION.GUIDES.values())
    assert [step for step in steps if not step["text_es"]] == []
    assert [step for step in steps if step["text_es"] == step["text_en"]] == []


@pytest.mark.django_db
def test_activity_page_in_spanish_shows_the_spanish_guide():
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    first_step = pattern.steps.get(format="brief", position=1)

    response = Client().get(
        reverse("library:pattern-detail", kwargs={"slug": "problem-solving"}),
        HTTP_ACCEPT_LANGUAGE="es",
    )
    body = response.content.decode()

    assert response.status_code == 200
    assert escape(pattern.purpose_es) in body
    assert escape(first_step.text_es) in body
    assert escape(pattern.purpose_en) not in body


@pytest.mark.django_db
def test_fill_skips_guides_and_steps_an_operator_removed():
    ActivityPattern.objects.filter(slug="visits").delete()
    PatternStep.objects.filter(pattern__slug="visits").delete()
    PatternStep.objects.filter(pattern__slug="problem-solving", format="brief", position=5).delete()
    ActivityPattern.objects.update(name_es=None)

    MIGRATION.fill_in_spanish(django_apps, None)

    assert ActivityPattern.objects.get(slug="problem-solving").name_es == "Resolver problemas"
    assert not ActivityPattern.objects.filter(slug="visits").exists()
    assert PatternStep.objects.filter(pattern__slug="problem-solving", format="brief").count() == 4


def _guides_as_migrated() -> None:
    """The guides come from migrations; a transactional test run before this one may
    have emptied the tables: put them back as 0002, 0009 and 0010 leave them."""
    if ActivityPattern.objects.exists():
        return
    for name, function in (
        ("0002_the_eleven_activities", "install_patterns"),
        ("0009_guides_so_far_are_english", "copy_into_english"),
        ("0010_activity_guides_in_spanish", "fill_in_spanish"),
    ):
        module = importlib.import_module(f"practice_library.migrations.{name}")
        getattr(module, function)(django_apps, None)


@pytest.mark.django_db(transaction=True)
def test_migration_goes_back_to_english_only_and_forward_again():
    _guides_as_migrated()
    call_command("migrate", "practice_library", "0009", verbosity=0)
    back = guide_columns()
    back_steps = step_columns()

    # Forward everything: going back also unapplied what depends on those migrations
    # (members' stored topic counts), which later tests' tables need.
    call_command("migrate", verbosity=0)
    forward = guide_columns()

    assert {row[f"{field}_es"] for row in back.values() for field in FIELDS} == {None}
    assert {step["text_es"] for step in back_steps} == {None}
    assert {slug: row["name_es"] for slug, row in forward.items()} == SPANISH_NAMES
    assert all(step["text_es"] for step in step_columns())
