from django.db import migrations

ORGANIZERS_GROUP = "Organizers"  # frozen copy of cop_portal.lib.roles.ORGANIZERS_GROUP


def create_organizers_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=ORGANIZERS_GROUP)


def remove_organizers_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=ORGANIZERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_organizers_group, remove_organizers_group),
    ]
