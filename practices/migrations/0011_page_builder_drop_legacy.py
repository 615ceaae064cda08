from django.db import migrations


class Migration(migrations.Migration):
    """Page builder, step 3 of 3: the old home-page hero fields and rich-text bodies,
    whose content 0007 moved into blocks."""

    dependencies = [
        ('practices', '0010_page_builder_content'),
    ]

    operations = [
        migrations.RemoveField(model_name='practicehomepage', name='call_to_action'),
        migrations.RemoveField(model_name='practicehomepage', name='call_to_action_label'),
        migrations.RemoveField(model_name='practicehomepage', name='hero_heading'),
        migrations.RemoveField(model_name='practicehomepage', name='intro'),
        migrations.RemoveField(model_name='practicehomepage', name='legacy_body'),
        migrations.RemoveField(model_name='standardpage', name='legacy_body'),
    ]
