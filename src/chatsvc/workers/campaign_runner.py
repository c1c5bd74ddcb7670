"""Sends one claimed campaign, message by message, recording progress so that any process can resume it.

Exactly once, and where it is only "at most twice": each message is committed SENDING before the provider
is called and SENT (or PENDING for a retry, or FAILED) after. A process that dies in between leaves that one
message SENDING, "in doubt"; so is a message whose earlier attempt failed in a way that may still have
delivered it (a timeout). Before sending such a message again the runner asks the provider whether a
message with that Message-ID went out (the Gmail API can tell: exactly once; a failed lookup is retried,
never taken for "not sent"); when the provider cannot tell (SMTP keeps no record, nor does Graph's sendMail)
it sends the message again with the same Message-ID. So over SMTP the single message in flight at a crash
may arrive twice, and receivers that collapse duplicates by Message-ID show it once. Every other message is
sent exactly once.

Every progress write is conditional on this process still holding the campaign's lease; a lost lease stops
the run at once (another process has taken over).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from chatsvc.domain.access import read, write
from chatsvc.domain.campaign_models import Campaign, CampaignEmail, CampaignState, MessageState, SentEmail
from chatsvc.domain.errors import DomainError
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.recipient_expansion import expand
from chatsvc.mail.outgoing import OutgoingAttachment, Sender, SendError
from chatsvc.mail.templates import TemplateError
from chatsvc.workers.campaign_content import (
    AttachmentError,
    Identity,
    compose,
    load_attachments,
    plan,
    sender_identity,
)
from chatsvc.workers.senders import CampaignSenders, close_sender

log = logging.getLogger("chatsvc.scheduler")
_OPEN = (MessageState.PENDING, MessageState.SENDING)


class LeaseLost(Exception):
    """Another process holds the campaign now; this one must not write another thing about it."""


@dataclass(frozen=True)
class RunSettings:
    lease_seconds: float
    send_attempts: int
    backoff_seconds: float
    fetch_timeout_seconds: float
    allow_private_urls: bool


class CampaignRunner:
    def __init__(self, db: Transactions, blobs, senders: CampaignSenders, clock: Clock, owner: str,
                 settings: RunSettings):
        self._db = db
        self._blobs = blobs
        self._senders = senders
        self._clock = clock
        self.owner = owner
        self._settings = settings
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Every run finishes the message it is sending, then lets go of its campaign."""
        self._stopping.set()

    async def run(self, campaign_id: str) -> None:
        run = _Run(self, campaign_id)
        heartbeat = asyncio.create_task(run.keep_lease())
        try:
            await run.execute()
        except LeaseLost:
            log.warning("campaign %s: lease lost to another process; stopped", campaign_id)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            if not run.finished and not run.lost:
                # Stopping, or an unexpected error: the next claim (ours or another process's) resumes at once.
                with contextlib.suppress(Exception):
                    await write(self._db, lambda r: r.campaign_delivery.release(campaign_id, self.owner))


class _Run:
    def __init__(self, runner: CampaignRunner, campaign_id: str):
        self.r = runner
        self.s = runner._settings
        self.campaign_id = campaign_id
        self.finished = False
        self.lost = False

    def lease_until(self) -> int:
        return self.r._clock() + int(self.s.lease_seconds * 1_000_000)

    async def keep_lease(self) -> None:
        """Renews the lease while a message takes long to send; a refusal means it was taken over."""
        while True:
            await asyncio.sleep(self.s.lease_seconds / 3)
            try:
                held = await write(self.r._db, lambda r: r.campaign_delivery.renew(
                    self.campaign_id, self.r.owner, self.lease_until()))
            except Exception:  # noqa: BLE001 - the database may be briefly unreachable; try again next beat
                log.exception("campaign %s: renewing the lease failed", self.campaign_id)
                continue
            if not held:
                self.lost = True
                return

    async def _progress(self, work: Callable) -> None:
        """One progress write under the lease; LeaseLost when it is no longer ours."""
        if self.lost or not await write(self.r._db, lambda repos: work(repos.campaign_delivery, self.lease_until())):
            self.lost = True
            raise LeaseLost()

    async def _fail(self, messages: list[SentEmail], failed_within: str, failure: str) -> None:
        """The campaign gives up: messages not sent yet fail with the same reason."""
        log.warning("campaign %s failed (%s): %s", self.campaign_id, failed_within, failure)
        unsent = [m.id for m in messages if m.state in _OPEN]
        owner = self.r.owner

        async def work(delivery, until):
            return (await delivery.mark_failed(self.campaign_id, owner, until, unsent, failure)
                    and await delivery.finish(self.campaign_id, owner, self.r._clock(), failure=failure,
                                              failed_within=failed_within))
        await self._progress(work)
        self.finished = True

    async def execute(self) -> None:
        db = self.r._db
        campaign: Campaign | None = await read(db, lambda r: r.campaigns.get(self.campaign_id))
        if campaign is None or campaign.state != CampaignState.SENDING:
            return
        messages = await read(db, lambda r: r.campaign_delivery.messages(self.campaign_id))
        try:
            sender = await self.r._senders.for_campaign(campaign)
        except DomainError as error:  # the credential is gone, revoked, or may not send
            await self._fail(messages, "credential", error.message)
            return
        try:
            identity = await read(db, lambda r: sender_identity(r, campaign))
            if not messages:
                try:
                    addressees = await read(db, lambda r: expand(r, campaign.brand_id, campaign.recipients))
                except DomainError as error:
                    await self._fail([], "recipients", error.message)
                    return
                if not addressees:
                    await self._fail([], "recipients", "the recipients have no email address to send to")
                    return
            try:
                attachments = await load_attachments(
                    db, self.r._blobs, campaign, limit=self.r._senders.attachment_limit(campaign),
                    fetch_timeout=self.s.fetch_timeout_seconds, allow_private_urls=self.s.allow_private_urls)
            except AttachmentError as error:
                await self._fail(messages, "attachments", error.message)
                return
            if not messages:
                messages, emails = plan(campaign, addressees, identity)
                await self._progress(lambda d, until: d.add_plan(self.campaign_id, self.r.owner, until, messages,
                                                                 emails))
            carried = await read(db, lambda r: r.campaign_delivery.recipients_of(self.campaign_id))
            await self._send_all(campaign, messages, carried, sender, identity, attachments)
        finally:
            await close_sender(sender)

    async def _send_all(self, campaign: Campaign, messages: list[SentEmail], carried: dict[str, list[CampaignEmail]],
                        sender: Sender, identity: Identity, attachments: tuple[OutgoingAttachment, ...]) -> None:
        current = sorted(messages, key=lambda m: m.position)
        while True:
            if self.r._stopping.is_set():
                return  # released by the caller; whoever claims it next resumes here
            if self.lost:
                raise LeaseLost()
            waiting = [m for m in current if m.state in _OPEN]
            if not waiting:
                break
            now = self.r._clock()
            ready = next((m for m in waiting if m.state == MessageState.SENDING or m.next_attempt_us <= now), None)
            if ready is None:  # every open message waits for its retry time
                delay = (min(m.next_attempt_us for m in waiting) - now) / 1_000_000
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.r._stopping.wait(), timeout=max(delay, 0.001))
                continue
            updated = await self._deliver(campaign, ready, carried.get(ready.id, []), sender, identity, attachments)
            current[current.index(ready)] = updated
        sent = [m for m in current if m.state == MessageState.SENT]
        if sent or not current:
            await self._progress(lambda d, _until: d.finish(self.campaign_id, self.r.owner, self.r._clock()))
            self.finished = True
            log.info("campaign %s executed: %d of %d messages sent", self.campaign_id, len(sent), len(current))
        else:
            await self._fail(current, "delivery", f"every email failed; the first: {current[0].error}")

    async def _deliver(self, campaign: Campaign, message: SentEmail, carried: list[CampaignEmail], sender: Sender,
                       identity: Identity, attachments: tuple[OutgoingAttachment, ...]) -> SentEmail:
        """One message: sent (or found sent), scheduled for a retry, or failed. Returns its new state."""
        owner, cid = self.r.owner, self.campaign_id
        # In doubt: left SENDING by a crash, or an earlier attempt failed in a way that may still have
        # delivered it (a timeout, a connection lost after the request went out). Ask the provider first.
        if message.state == MessageState.SENDING or message.attempts > 0:
            try:
                found = await sender.find_sent(message.message_id)
            except Exception as error:  # noqa: BLE001 - cannot tell is not "not sent": ask again later
                log.warning("campaign %s: looking up in-doubt message %s failed: %s", cid, message.message_id, error)
                reason = f"could not check whether an earlier attempt went out: {getattr(error, 'message', error)}"
                return await self._retry_or_fail(message, message.attempts + 1, reason)
            if found:
                return await self._sent(message, found, len(carried))
        try:
            email = compose(campaign, message, carried, identity, attachments)
        except TemplateError as error:
            return await self._failed(message, f"the template could not be rendered: {error.message}")
        attempts = message.attempts + 1
        await self._progress(lambda d, until: d.mark_sending(cid, owner, until, message.id, attempts))
        message = replace(message, state=MessageState.SENDING, attempts=attempts)
        try:
            provider_id = await _send(sender, email)
        except SendError as error:
            if not error.transient:
                return await self._failed(message, error.message)
            return await self._retry_or_fail(message, attempts, error.message)
        return await self._sent(message, provider_id, len(carried))

    async def _retry_or_fail(self, message: SentEmail, attempts: int, reason: str) -> SentEmail:
        """Another try after a doubling backoff, or FAILED once `attempts` reached the bound."""
        if attempts >= self.s.send_attempts:
            return await self._failed(message, reason)
        next_us = self.r._clock() + int(self.s.backoff_seconds * 2 ** (attempts - 1) * 1_000_000)
        await self._progress(lambda d, until: d.mark_retry(self.campaign_id, self.r.owner, until, message.id,
                                                           next_us, reason, attempts))
        return replace(message, state=MessageState.PENDING, attempts=attempts, next_attempt_us=next_us, error=reason)

    async def _sent(self, message: SentEmail, provider_id: str, addresses: int) -> SentEmail:
        now = self.r._clock()
        await self._progress(lambda d, until: d.mark_sent(self.campaign_id, self.r.owner, until, message.id,
                                                          provider_id, now, addresses))
        return replace(message, state=MessageState.SENT, provider_message_id=provider_id, send_time_us=now)

    async def _failed(self, message: SentEmail, error: str) -> SentEmail:
        await self._progress(lambda d, until: d.mark_failed(self.campaign_id, self.r.owner, until, [message.id],
                                                            error))
        return replace(message, state=MessageState.FAILED, error=error)


async def _send(sender: Sender, email) -> str:
    try:
        return await sender.send(email)
    except (SendError, asyncio.CancelledError):
        raise
    except Exception as error:  # noqa: BLE001 - a sender's bug must not stall the campaign: retried, then failed
        log.exception("sending %s failed unexpectedly", email.message_id)
        raise SendError(f"sending failed unexpectedly: {type(error).__name__}: {error}", transient=True) from None
