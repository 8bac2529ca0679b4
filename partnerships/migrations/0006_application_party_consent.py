# A co-applicant that none of the applicant's people act for must accept before it is a party.
#
# Rows that exist already were parties under the old rule and are visible to their
# organisations today, so they are marked accepted (the first AddField's default); every party
# created from now on starts as a pending request unless the service accepts it at once.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0005_verbose_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='applicationparty',
            name='consent',
            field=models.CharField(choices=[('pending', 'Awaiting their answer'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='accepted', max_length=10, verbose_name='consent'),
        ),
        migrations.AlterField(
            model_name='applicationparty',
            name='consent',
            field=models.CharField(choices=[('pending', 'Awaiting their answer'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='pending', max_length=10, verbose_name='consent'),
        ),
        migrations.AddField(
            model_name='applicationparty',
            name='consent_decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='answered at'),
        ),
        migrations.AddField(
            model_name='applicationparty',
            name='consent_decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by'),
        ),
        migrations.AddConstraint(
            model_name='applicationparty',
            constraint=models.CheckConstraint(condition=models.Q(('consent__in', ['pending', 'accepted', 'declined'])), name='party_consent_valid'),
        ),
        migrations.AddConstraint(
            model_name='applicationparty',
            constraint=models.CheckConstraint(condition=models.Q(('role', 'co_applicant'), ('consent', 'accepted'), _connector='OR'), name='party_lead_is_accepted'),
        ),
        migrations.AddConstraint(
            model_name='applicationparty',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('consent', 'pending'), ('consent_decided_at__isnull', True), ('consent_decided_by__isnull', True)), ('consent', 'accepted'), models.Q(('consent', 'declined'), ('consent_decided_at__isnull', False)), _connector='OR'), name='party_consent_answered_at'),
        ),
    ]
