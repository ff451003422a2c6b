"""Unguessable public ids for matches and workshops (existing rows get fresh ones), who claimed each
seat, and whose key verified an imported replay."""

import secrets

from django.db import migrations, models

import game.models


def fill_public_ids(apps, schema_editor):
    for name in ("Match", "Workshop"):
        model = apps.get_model("game", name)
        for pk in model.objects.filter(public_id__isnull=True).values_list("pk", flat=True).iterator():
            model.objects.filter(pk=pk).update(public_id=secrets.token_urlsafe(16))


class Migration(migrations.Migration):

    dependencies = [
        ("game", "0003_replays"),
    ]

    operations = [
        migrations.AddField(model_name="match", name="public_id", field=models.CharField(max_length=32, null=True, editable=False)),
        migrations.AddField(model_name="workshop", name="public_id", field=models.CharField(max_length=32, null=True, editable=False)),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="match", name="public_id",
            field=models.CharField(default=game.models.public_id_new, editable=False, max_length=32, unique=True),
        ),
        migrations.AlterField(
            model_name="workshop", name="public_id",
            field=models.CharField(default=game.models.public_id_new, editable=False, max_length=32, unique=True),
        ),
        migrations.AddField(model_name="seat", name="client_hash", field=models.CharField(blank=True, db_index=True, max_length=64)),
        migrations.AddField(model_name="seat", name="network_hash", field=models.CharField(blank=True, max_length=64)),
        migrations.AddField(model_name="replayimport", name="verified_by", field=models.CharField(blank=True, max_length=20)),
    ]
