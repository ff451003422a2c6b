"""docs/deploy.md's production environment passes `manage.py check --deploy` with no issue."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def deploy_env() -> dict[str, str]:
    """The variables of the block after `<!-- deploy-env -->` in docs/deploy.md, placeholders filled."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    block = re.search(r"<!-- deploy-env -->\s*```sh\n(.*?)```", text, re.S)
    assert block, "docs/deploy.md has no deploy-env block"
    env = {}
    for line in block.group(1).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = secrets.token_urlsafe(50) if value.startswith("<") else value.strip()
    return env


def test_the_documented_production_settings_pass_check_deploy():
    documented = deploy_env()
    assert documented["DJANGO_DEBUG"] == "0" and "DJANGO_SECRET_KEY" in documented
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_", "SQLITE_PATH", "AXES_", "REPLAY_", "WORKSHOP_", "TRUSTED_"))}
    env.update(documented, DJANGO_SETTINGS_MODULE="negotiation_game.settings")
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout
    shown = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
         "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.TRUSTED_PROXY_HOPS, "
         "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert shown.stdout.split() == ["False", "True", "True", "1", "[\"'self'\"]"], shown.stdout + shown.stderr
