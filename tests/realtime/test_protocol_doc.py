"""docs/protocol.md is the contract: every example in it is a valid frame, every frame type has one,
every error code the server can send is listed, and `manage.py protocol_schema` prints the schema."""

from __future__ import annotations

import io
import json
import re
import typing
from pathlib import Path

import pytest
from django.core.management import call_command
from pydantic import ValidationError

from game.engine.errors import CODES
from game.realtime import protocol as P

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
BLOCK = re.compile(r"```json (client|server)\n(.*?)```", re.S)


def _examples():
    return [(direction, text) for direction, text in BLOCK.findall(DOC.read_text())]


def _tags(union) -> set[str]:
    members = typing.get_args(typing.get_args(union)[0])
    return {m.model_fields["type"].annotation.__args__[0] for m in members}


@pytest.mark.parametrize(("direction", "text"), _examples())
def test_every_documented_frame_validates(direction, text):
    adapter = P.CLIENT_ADAPTER if direction == "client" else P.SERVER_ADAPTER
    adapter.validate_json(text)


def test_every_frame_type_has_a_documented_example():
    seen = {"client": set(), "server": set()}
    for direction, text in _examples():
        seen[direction].add(json.loads(text)["type"])
    assert seen["client"] == _tags(P.ClientFrame)
    assert seen["server"] == _tags(P.ServerFrame)


def test_every_error_code_is_documented():
    doc = DOC.read_text()
    missing = [c for c in sorted(set(P.PROTOCOL_ERRORS) | CODES) if f"`{c}`" not in doc]
    assert not missing


def test_client_frames_forbid_unknown_fields_and_bound_strings():
    with pytest.raises(ValidationError):
        P.parse_client_frame('{"type": "ping", "admin": true}')
    with pytest.raises(ValidationError):
        P.parse_client_frame(json.dumps({"type": "move", "msg_id": "m", "move": {"kind": "statement", "text": "x" * 1001}}))
    with pytest.raises(ValidationError):
        P.parse_client_frame(json.dumps({"type": "hello", "msg_id": "bad id with spaces"}))
    schema = P.schema()["client_to_server"]

    def strings(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and "enum" not in node and "const" not in node:
                yield node
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    unbounded = [s for s in strings(schema) if "maxLength" not in s and "pattern" not in s]
    assert not unbounded


def test_protocol_schema_command_prints_both_directions_as_json():
    out = io.StringIO()
    call_command("protocol_schema", stdout=out)
    data = json.loads(out.getvalue())
    assert data["version"] == P.PROTOCOL_VERSION
    assert set(data) >= {"client_to_server", "server_to_client", "errors"}
    assert "MoveFrame" in json.dumps(data["client_to_server"]) and "Welcome" in json.dumps(data["server_to_client"])
