"""Seed the 26 business formats of the 2021 Guide from the data table in linli.core.formats."""

from django.db import migrations


def seed(apps, schema_editor):
    from linli.core.formats import FORMATS

    model = apps.get_model("shops", "BusinessFormat")
    for i, f in enumerate(FORMATS):
        model.objects.update_or_create(
            slug=f.slug,
            defaults={
                "zh": f.zh,
                "en": f.en,
                "cls": f.cls,
                "target_minutes": f.target_minutes,
                "osm_tags": [list(t) for t in f.osm_tags],
                "sort": i,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("shops", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
