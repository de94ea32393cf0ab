import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # Exits with status 1 (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_organizers_group_is_installed_by_migration():
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name="Organizers").exists()
