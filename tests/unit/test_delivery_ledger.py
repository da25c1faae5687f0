"""The delivery ledger: no commit passes a record the broker refused after the send (issue 16)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka.errors import (
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    TopicAuthorizationFailedError,
)
from faust.exceptions import ProducerSendError

from streamproc.faust.delivery import DeliveryFailed, DeliveryLedger, failed_future, refuses_the_record


def _wrapped(exc: BaseException) -> ProducerSendError:
    try:
        raise ProducerSendError(f"Error while sending: {exc!r}") from exc
    except ProducerSendError as wrapped:
        return wrapped


def test_only_refusals_of_the_record_itself_at_the_send_can_be_dead_lettered() -> None:
    assert refuses_the_record(_wrapped(MessageSizeTooLargeError()))  # refused at the send
    assert refuses_the_record(_wrapped(RecordListTooLargeError()))
    # Refused by the broker after the send: the idempotent producer's sequence is out of step there
    assert not refuses_the_record(MessageSizeTooLargeError())
    assert not refuses_the_record(RecordListTooLargeError())
    for exc in (KafkaTimeoutError(), TopicAuthorizationFailedError(), RuntimeError("x")):
        assert not refuses_the_record(exc)
        assert not refuses_the_record(_wrapped(exc))
    assert not refuses_the_record(ProducerSendError("no transaction producer"))


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_delivered_records_settle_quietly_and_their_claims_hear_it() -> None:
    async def run() -> list[str]:
        ledger, heard = DeliveryLedger(), []
        loop = asyncio.get_running_loop()
        plain, claimed = loop.create_future(), loop.create_future()
        ledger.sent(plain, "changelog")
        ledger.sent(claimed, "out")

        async def failed(exc: BaseException) -> None:
            heard.append("failed")

        ledger.claim(claimed, "out", lambda: heard.append("delivered"), failed)
        loop.call_later(0.01, plain.set_result, 1)
        loop.call_later(0.02, claimed.set_result, 2)
        await ledger.settle()  # waits for both
        assert ledger.tracked == 0
        return heard

    assert _run(run()) == ["delivered"]


def test_an_unclaimed_failure_fails_every_later_settle() -> None:
    async def run() -> None:
        ledger = DeliveryLedger()
        ledger.sent(failed_future(TopicAuthorizationFailedError()), "t.changelog")
        for _ in range(2):
            with pytest.raises(DeliveryFailed, match=r"changelog.*TopicAuthorizationFailed.*not committed"):
                await ledger.settle()
        ledger.sent(asyncio.get_running_loop().create_future(), "later")
        with pytest.raises(DeliveryFailed, match=r"t\.changelog"):  # still the first loss, at once
            await ledger.settle()

    _run(run())


def test_a_claim_handles_a_failure_or_gives_up() -> None:
    async def run() -> None:
        ledger, handled = DeliveryLedger(), []

        async def dead_letter(exc: BaseException) -> None:
            handled.append(type(exc).__name__)

        async def give_up(exc: BaseException) -> None:
            raise DeliveryFailed("the dead-letter topic refused it too")

        ledger.claim(failed_future(MessageSizeTooLargeError()), "out", lambda: None, dead_letter)
        await ledger.settle()
        assert handled == ["MessageSizeTooLargeError"]
        ledger.claim(failed_future(MessageSizeTooLargeError()), "out", lambda: None, give_up)
        with pytest.raises(DeliveryFailed, match="refused it too"):
            await ledger.settle()
        with pytest.raises(DeliveryFailed, match="refused it too"):
            await ledger.settle()

    _run(run())


def test_a_settle_waits_for_the_records_sent_before_it_only() -> None:
    async def run() -> None:
        ledger = DeliveryLedger()
        loop = asyncio.get_running_loop()
        first, later = loop.create_future(), loop.create_future()
        ledger.sent(first, "t")

        def deliver_and_send_more() -> None:
            first.set_result(1)
            ledger.sent(later, "t")  # sent while the settle waits: never delivered here

        loop.call_later(0.01, deliver_and_send_more)
        await asyncio.wait_for(ledger.settle(), timeout=5)
        assert ledger.tracked == 1
        later.set_exception(MessageSizeTooLargeError())
        with pytest.raises(DeliveryFailed):
            await ledger.settle()

    _run(run())


def test_a_cancelled_settle_leaves_what_it_did_not_handle_to_the_next() -> None:
    async def run() -> list[str]:
        ledger, handled = DeliveryLedger(), []
        loop = asyncio.get_running_loop()
        output = loop.create_future()

        async def dead_letter(exc: BaseException) -> None:
            handled.append(type(exc).__name__)

        ledger.sent(output, "out")
        ledger.claim(output, "out", lambda: None, dead_letter)
        settling = asyncio.ensure_future(ledger.settle())
        await asyncio.sleep(0.01)
        settling.cancel()  # Faust cancels a recovery flush that takes too long
        with pytest.raises(asyncio.CancelledError):
            await settling
        output.set_exception(MessageSizeTooLargeError())
        await ledger.settle()
        assert ledger.tracked == 0
        return handled

    assert _run(run()) == ["MessageSizeTooLargeError"]


def test_a_settle_cancelled_inside_a_failure_handler_does_not_run_it_again() -> None:
    async def run() -> list[str]:
        ledger, sends = DeliveryLedger(), []
        loop = asyncio.get_running_loop()
        output, dead_letter_acked = loop.create_future(), loop.create_future()

        async def dead_letter(exc: BaseException) -> None:
            sends.append("dead letter")  # the send happens once ...
            await dead_letter_acked  # ... and the cancel lands while its ack is awaited

        ledger.sent(output, "out")
        ledger.claim(output, "out", lambda: None, dead_letter)
        output.set_exception(MessageSizeTooLargeError())
        settling = asyncio.ensure_future(ledger.settle())
        await asyncio.sleep(0.01)
        settling.cancel()
        with pytest.raises(asyncio.CancelledError):
            await settling
        dead_letter_acked.set_result(None)
        await ledger.settle()
        assert ledger.tracked == 0
        return sends

    assert _run(run()) == ["dead letter"]


def test_two_settles_at_once_each_wait_for_what_was_sent_before_them() -> None:
    async def run() -> None:
        ledger = DeliveryLedger()
        loop = asyncio.get_running_loop()
        first = loop.create_future()
        ledger.sent(first, "t")
        one, two = asyncio.ensure_future(ledger.settle()), asyncio.ensure_future(ledger.settle())
        await asyncio.sleep(0.01)
        assert not one.done() and not two.done()  # the second does not pass the first's records
        first.set_exception(TopicAuthorizationFailedError())
        for settle in (one, two):
            with pytest.raises(DeliveryFailed):
                await settle

    _run(run())


def test_a_handler_that_breaks_fails_the_ledger() -> None:
    async def run() -> None:
        ledger = DeliveryLedger()

        async def broken(exc: BaseException) -> None:
            raise RuntimeError("could not read the input back")

        ledger.claim(failed_future(MessageSizeTooLargeError()), "out", lambda: None, broken)
        with pytest.raises(DeliveryFailed, match="could not read the input back"):
            await ledger.settle()

    _run(run())


def test_a_record_left_unanswered_past_the_timeout_fails_the_settle() -> None:
    # An idempotent aiokafka producer never expires a batch: the ledger bounds the wait itself.
    async def run() -> None:
        ledger = DeliveryLedger(timeout_s=0.05)
        answered: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        answered.set_result(None)
        delivered: list[str] = []
        ledger.claim(answered, "out", lambda: delivered.append("out"), _never_called)
        ledger.sent(asyncio.get_running_loop().create_future(), "t.replies")
        with pytest.raises(DeliveryFailed, match=r"t\.replies.*no answer within 0\.05 s.*not committed"):
            await ledger.settle()
        assert delivered == []  # nothing of that batch is settled: the restart processes it again
        with pytest.raises(DeliveryFailed, match=r"t\.replies"):
            await ledger.settle()

    _run(run())


async def _never_called(exc: BaseException) -> None:
    raise AssertionError(f"not a failure: {exc!r}")
