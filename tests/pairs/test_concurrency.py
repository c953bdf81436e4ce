"""The version count of pairs.concurrency: one UPDATE, no audit entry, the caller's object kept in step."""

import pytest
from auditlog.models import LogEntry

from pairs.concurrency import bump_version
from referrals.models import Referral
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_a_version_is_counted_by_one_update_and_writes_no_audit_entry(django_assert_num_queries):
    referral = ReferralFactory()
    before = referral.version
    entries = LogEntry.objects.count()
    with django_assert_num_queries(1):
        bump_version(referral)
    assert referral.version == before + 1
    assert Referral.objects.get(pk=referral.pk).version == before + 1
    assert LogEntry.objects.count() == entries
