"""Every repository over one database, as the commands see them."""

from __future__ import annotations

from storage.actions import ActionRepository
from storage.audit import AuditRepository
from storage.blobs import BlobRepository
from storage.campaigns import CampaignRepository
from storage.charter import CharterRepository
from storage.committees import CommitteeRepository
from storage.db import Database
from storage.digest import DigestRepository
from storage.flags import FlagRepository
from storage.materials import MaterialRepository
from storage.memberships import MembershipRepository
from storage.platform_state import PlatformStateRepository
from storage.privacy import PrivacyRepository
from storage.reminders import ReminderRepository
from storage.reports import ReportRepository
from storage.rsvps import RsvpRepository
from storage.users import UserRepository


class Repositories:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.users = UserRepository(db)
        self.committees = CommitteeRepository(db)
        self.memberships = MembershipRepository(db)
        self.charter = CharterRepository(db)
        self.flags = FlagRepository(db)
        self.audit = AuditRepository(db)
        self.platform_state = PlatformStateRepository(db)
        self.actions = ActionRepository(db)
        self.rsvps = RsvpRepository(db)
        self.reminders = ReminderRepository(db)
        self.campaigns = CampaignRepository(db)
        self.blobs = BlobRepository(db)
        self.materials = MaterialRepository(db)
        self.privacy = PrivacyRepository(db)
        self.reports = ReportRepository(db)
        self.digest = DigestRepository(db)
