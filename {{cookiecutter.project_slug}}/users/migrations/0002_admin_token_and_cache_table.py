from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The default cache is a database table (settings: CACHES); make it with the schema,
    so `migrate` is the only set-up step. Does nothing when the cache is Redis."""
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("users", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AdminToken",
            fields=[],
            options={
                "verbose_name": "token",
                "verbose_name_plural": "tokens",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("authtoken.tokenproxy",),
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
