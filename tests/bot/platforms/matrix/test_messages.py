"""Messages on a real Synapse: user text escaped in the HTML, a burst of replies under a low
`rc_message` all delivered, files through the media repository both ways."""

from __future__ import annotations

import io
import re
from pathlib import Path

from nio import UploadResponse

from bot.app import App
from bot.platforms.matrix import media
from commands.files import Incoming
from commands.ports import Outgoing
from commands.reply import Attachment, Reply
from tests.bot.platforms.matrix.conftest import bot_config
from tests.bot.platforms.matrix.homeserver import Homeserver
from tests.bot.platforms.matrix.person import Person
from tests.bot.platforms.matrix.scene import (
    ask,
    bot_id,
    committee_led_by,
    direct_room,
    from_bot,
)

HOSTILE = '<b>x</b> <script>alert(1)</script> & "quotes"'


async def test_user_text_with_html_is_escaped_in_the_formatted_body(
    bot: App, alex: Person
) -> None:
    scene = await committee_led_by(bot, alex, description=HOSTILE.replace('"', "'"))
    info = await ask(bot, alex, scene.lead_dm, "!committee info rennes-nord", "Your role")

    assert "<script>alert(1)</script>" in info.body  # the plain body is plain text
    assert "<script" not in info.html
    assert "<b>x" not in info.html
    assert "&lt;b&gt;x&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp;" in info.html
    assert info.content["format"] == "org.matrix.custom.html"
    topic = await alex.state(scene.room_id, "m.room.topic")
    assert topic["topic"] == HOSTILE.replace('"', "'")


async def test_a_burst_of_replies_under_a_low_rc_message_all_arrive(
    homeserver: Homeserver, tmp_path: Path, password_in_env: None, alex: Person,
    admin: Person,
) -> None:
    app = App(bot_config(homeserver, tmp_path / "comites.db", account="ratebot"),
              console=False)
    await app.start()
    override = f"/_synapse/admin/v1/users/{bot_id(app)}/override_ratelimit"
    try:
        dm = await direct_room(app, alex)
        # Two messages at once, then five a second, for this account only.
        await homeserver.api("POST", override, admin.client.access_token,
                             {"messages_per_second": 5, "burst_count": 2})
        for number in range(20):
            await alex.say(dm, f"!nothing{number}")

        def answered() -> list[int]:
            return [int(found[1]) for seen in alex.notices(dm, bot_id(app))
                    if (found := re.search(r"nothing(\d+)", seen.body))]

        await alex.wait_until(lambda: len(answered()) >= 20, "20 answers", within=60)
        assert answered() == list(range(20))  # every one, in order
        assert app.matrix is not None
        assert app.matrix.outbox.rate_limited > 0  # the homeserver did push back
        assert app.matrix.outbox.dropped == 0
    finally:
        await homeserver.api("DELETE", override, admin.client.access_token)
        await app.stop()


async def test_files_go_through_the_media_repository_both_ways(bot: App, alex: Person) -> None:
    assert bot.matrix is not None
    assert bot.services is not None
    dm = await direct_room(bot, alex)
    await ask(bot, alex, dm, "help", "committee")
    person = await bot.services.repos.users.find("matrix", alex.user_id)
    assert person is not None
    leaflet = b"%PDF-1.4\n" + bytes(range(256)) * 40

    reached = await bot.matrix.port.send_direct(person, Outgoing(
        Reply("The market leaflet", file=Attachment("tract.pdf", leaflet, "application/pdf")),
        "en"))

    assert reached
    sent = await alex.wait_for(lambda seen: seen.room_id == dm
                               and seen.content.get("msgtype") == "m.file", "the file")
    assert sent.content["body"] == "tract.pdf"
    assert sent.content["info"] == {"mimetype": "application/pdf", "size": len(leaflet)}
    fetched = await alex.client.download(mxc=sent.content["url"])
    assert fetched.body == leaflet
    last_two = [(seen.content["msgtype"], seen.body) for seen in alex.seen
                if seen.room_id == dm and seen.type == "m.room.message"][-2:]
    assert last_two == [("m.notice", "The market leaflet"), ("m.file", "tract.pdf")]

    # And a file someone sends is read back from the media repository.
    photo = b"\x89PNG\r\n\x1a\n" + b"\0" * 300
    uploaded, _keys = await alex.client.upload(io.BytesIO(photo), content_type="image/png",
                                               filename="affiche.png", filesize=len(photo))
    assert isinstance(uploaded, UploadResponse)
    content = {"msgtype": "m.image", "body": "affiche.png", "url": uploaded.content_uri,
               "info": {"mimetype": "image/png", "size": len(photo)}}
    incoming = media.incoming_file(content)
    assert incoming is not None
    assert await media.download(bot.matrix.client, incoming) == Incoming(
        "affiche.png", "image/png", photo)


async def test_a_file_shared_with_a_command_lands_in_the_blob_store(
    bot: App, alex: Person
) -> None:
    scene = await committee_led_by(bot, alex)
    assert bot.services is not None
    assert bot.services.blobs is not None
    leaflet = b"%PDF-1.4\n" + b"leaflet " * 500
    uploaded, _keys = await alex.client.upload(io.BytesIO(leaflet), content_type="application/pdf",
                                               filename="tract.pdf", filesize=len(leaflet))
    assert isinstance(uploaded, UploadResponse)
    file_message = {"msgtype": "m.file", "body": "tract.pdf", "filename": "tract.pdf",
                    "url": uploaded.content_uri,
                    "info": {"mimetype": "application/pdf", "size": len(leaflet)}}

    # Sent first, then shared by replying to it, as clients make it easy to do.
    sent = await alex.client.room_send(scene.room_id, "m.room.message", file_message)
    await alex.client.room_send(scene.room_id, "m.room.message", {
        "msgtype": "m.text", "body": "> <@alex:localhost> tract.pdf\n\n!material share Tract",
        "m.relates_to": {"m.in_reply_to": {"event_id": sent.event_id}}})
    await alex.wait_for(from_bot(bot, scene.room_id, "Shared with Rennes Nord"), "shared")
    # Or sent with the command as its caption.
    await alex.client.room_send(scene.room_id, "m.room.message",
                                {**file_message, "body": "!material share Affiche"})
    await alex.wait_for(from_bot(bot, scene.room_id, "Affiche"), "shared again")

    for material_id, title in ((1, "Tract"), (2, "Affiche")):
        material = await bot.services.repos.materials.get(material_id)
        assert material is not None
        assert material.title == title
        assert material.blob_sha256 is not None
        assert await bot.services.blobs.read(material.blob_sha256) == leaflet
