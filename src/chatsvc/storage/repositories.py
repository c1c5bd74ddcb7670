"""All repositories over one connection in one transaction. SQLAlchemy Core: rows become domain dataclasses.
The hot repositories share the unit's `raw` (storage/raw_statements.py) for their hot statements."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.storage.raw_statements import Raw
from chatsvc.storage.repos.app_deliveries import AppDeliveryRepository
from chatsvc.storage.repos.app_events import AppEventRepository
from chatsvc.storage.repos.attachments import AttachmentRepository
from chatsvc.storage.repos.availability import AvailabilityRepository
from chatsvc.storage.repos.campaign_delivery import CampaignDeliveryRepository
from chatsvc.storage.repos.campaign_emails import CampaignEmailRepository
from chatsvc.storage.repos.campaigns import CampaignRepository
from chatsvc.storage.repos.chat_apps import ChatAppRepository
from chatsvc.storage.repos.credentials import CredentialRepository
from chatsvc.storage.repos.custom_emojis import CustomEmojiRepository
from chatsvc.storage.repos.directory import DirectoryRepository
from chatsvc.storage.repos.email_files import EmailFileRepository
from chatsvc.storage.repos.events import EventRepository
from chatsvc.storage.repos.live_events import LiveEventRepository
from chatsvc.storage.repos.memberships import MembershipRepository
from chatsvc.storage.repos.message_search import MessageSearchRepository
from chatsvc.storage.repos.messages import MessageRepository
from chatsvc.storage.repos.notification_settings import NotificationSettingRepository
from chatsvc.storage.repos.oauth_server import OAuthServerRepository
from chatsvc.storage.repos.pins import PinRepository
from chatsvc.storage.repos.reactions import ReactionRepository
from chatsvc.storage.repos.read_states import ReadStateRepository
from chatsvc.storage.repos.sections import SectionRepository
from chatsvc.storage.repos.sending_domains import SendingDomainRepository
from chatsvc.storage.repos.settings import SettingsRepository
from chatsvc.storage.repos.spaces import SpaceRepository
from chatsvc.storage.repos.threads import ThreadRepository
from chatsvc.storage.repos.users import UserRepository
from chatsvc.storage.repos.webhooks import WebhookRepository


class Repositories:
    def __init__(self, conn: AsyncConnection, touched: list[tuple[str, int]] | None = None):
        """`touched`: where spaces' last_active_time advances go to run after the commit (PostgreSQL);
        None: in the unit itself."""
        self.raw = raw = Raw(conn)
        self.settings = SettingsRepository(conn)
        self.sections = SectionRepository(conn)
        self.users = UserRepository(conn)
        self.spaces = SpaceRepository(conn, raw, touched)
        self.memberships = MembershipRepository(conn, raw)
        self.threads = ThreadRepository(conn, raw)
        self.messages = MessageRepository(conn)
        self.message_search = MessageSearchRepository(conn)
        self.reactions = ReactionRepository(conn, raw)
        self.pins = PinRepository(conn)
        self.events = EventRepository(conn, raw)
        self.live_events = LiveEventRepository(conn)
        self.read_states = ReadStateRepository(conn, raw)
        self.notification_settings = NotificationSettingRepository(conn)
        self.availabilities = AvailabilityRepository(conn)
        self.attachments = AttachmentRepository(conn)
        self.custom_emojis = CustomEmojiRepository(conn)
        self.credentials = CredentialRepository(conn)
        self.campaign_delivery = CampaignDeliveryRepository(conn)
        self.campaigns = CampaignRepository(conn)
        self.campaign_emails = CampaignEmailRepository(conn)
        self.email_files = EmailFileRepository(conn)
        self.directory = DirectoryRepository(conn)
        self.sending_domains = SendingDomainRepository(conn)
        self.webhooks = WebhookRepository(conn)
        self.oauth_server = OAuthServerRepository(conn)
        self.chat_apps = ChatAppRepository(conn)
        self.app_events = AppEventRepository(conn)
        self.app_deliveries = AppDeliveryRepository(conn)
