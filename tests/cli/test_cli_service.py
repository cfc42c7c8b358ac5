"""``urif users`` and ``urif serve`` through the real command line."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

URIF = [sys.executable, "-m", "urif.cli.main"]


def _run(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*URIF, *args],
        check=False,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_users_add_prompts_validates_and_lists(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'urif.db'}"
    added = _run(
        ["users", "add", "alice", "--role", "auditor", "--db", db],
        tmp_path,
        stdin="long enough pw\nlong enough pw\n",
    )
    assert added.returncode == 0, added.stderr
    bad_role = _run(
        ["users", "add", "bob", "--role", "king", "--password", "whatever1", "--db", db], tmp_path
    )
    assert bad_role.returncode == 1
    assert "role: expected one of administrator" in bad_role.stderr
    short = _run(
        ["users", "add", "bob", "--role", "analyst", "--password", "short", "--db", db], tmp_path
    )
    assert short.returncode == 1
    assert "at least 8 characters" in short.stderr
    listed = _run(["users", "list", "--json", "--db", db], tmp_path)
    assert listed.returncode == 0
    assert json.loads(listed.stdout)["users"] == [
        {
            "name": "alice",
            "role": "auditor",
            "created_at": json.loads(listed.stdout)["users"][0]["created_at"],
            "active": True,
        }
    ]
    assert "password" not in listed.stdout


def test_users_role_and_deactivate_change_the_stored_user(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'urif.db'}"
    added = _run(["users", "add", "carol", "--role", "auditor", "--password", "pw-123456", "--db", db], tmp_path)  # fmt: skip
    assert added.returncode == 0, added.stderr
    role = _run(["users", "role", "carol", "--role", "analyst", "--db", db], tmp_path)
    assert role.returncode == 0, role.stderr
    off = _run(["users", "deactivate", "carol", "--db", db], tmp_path)
    assert off.returncode == 0, off.stderr
    listed = json.loads(_run(["users", "list", "--json", "--db", db], tmp_path).stdout)
    assert [(u["name"], u["role"], u["active"]) for u in listed["users"]] == [
        ("carol", "analyst", False)
    ]
    for args in (["role", "nobody", "--role", "analyst"], ["deactivate", "nobody"]):
        missing = _run(["users", *args, "--db", db], tmp_path)
        assert missing.returncode == 1
        assert "no such user" in missing.stderr
    bad = _run(["users", "role", "carol", "--role", "king", "--db", db], tmp_path)
    assert bad.returncode == 1
    assert "role: expected one of" in bad.stderr


@pytest.mark.slow
def test_serve_creates_a_key_and_answers_the_api(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'urif.db'}"
    assert _run(["init", "--db", db], tmp_path).returncode == 0
    assert (
        _run(
            [
                "users",
                "add",
                "admin",
                "--role",
                "administrator",
                "--password",
                "admin-password",
                "--db",
                db,
            ],
            tmp_path,
        ).returncode
        == 0
    )
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "URIF_SECRET_KEY"}
    server = subprocess.Popen(
        [*URIF, "serve", "--port", str(port), "--db", db],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "urif serve did not answer within 60 s"
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            time.sleep(0.2)
        key_file = tmp_path / ".urif" / "secret.key"
        assert key_file.is_file()
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        token = httpx.post(
            f"{base}/api/token", data={"username": "admin", "password": "admin-password"}
        ).json()
        accounts = httpx.get(
            f"{base}/api/accounts", headers={"Authorization": f"Bearer {token['access_token']}"}
        )
        assert accounts.status_code == 200
        assert accounts.json()["currency"] == "USD"
        assert httpx.post(f"{base}/api/events", json=[]).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)
