"""Make sure the local single-user account exists and print how to log in.

scripts/run.sh calls this on every start. The password is kept in a file under .local/ (not in
git) so it can be printed again; if that file is lost, a new password is set.
"""

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create (or reuse) the local account and print its username and password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="dagsim")
        parser.add_argument(
            "--credentials-file",
            default=str(Path(settings.BASE_DIR) / ".local" / "credentials.json"),
        )

    def handle(self, *args, username: str, credentials_file: str, **options):
        path = Path(credentials_file)
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        saved = self._read(path)
        if user is not None and saved.get("username") == username:
            if user.check_password(saved.get("password", "")):
                self._print(username, saved["password"])
                return
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User(username=username)
        user.set_password(password)
        user.save()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"username": username, "password": password}))
        path.chmod(0o600)
        self._print(username, password)

    @staticmethod
    def _read(path: Path) -> dict:
        try:
            return json.loads(path.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def _print(self, username: str, password: str) -> None:
        self.stdout.write(f"Log in with username: {username}  password: {password}")
