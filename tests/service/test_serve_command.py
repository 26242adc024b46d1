"""`clea serve` refuses to start on bad arguments, a broken policy or an unusable log: a message, no traceback."""
import subprocess

import pytest

from .conftest import _clea_command, copy_policies


def serve(*args, cwd):
    return subprocess.run([*_clea_command(), "serve", "--port", "0", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False)


@pytest.mark.parametrize("args, code, message", [
    (["--policies", "{tmp}/absent"], 2, "dossier des politiques introuvable"),
    (["--log", "{tmp}/absent/log.sqlite3"], 2, "le dossier du journal des décisions n'existe pas : {tmp}/absent"),
    (["--max-body", "beaucoup"], 2, "taille invalide"),
    (["--mask", "faits..nom"], 2, "chemin de masquage invalide"),
    (["--port", "70000"], 2, "n'est pas un numéro de port"),
])
def test_bad_arguments_exit_2(tmp_path, args, code, message):
    result = serve(*[arg.format(tmp=tmp_path) for arg in args], cwd=tmp_path)
    assert result.returncode == code and message.format(tmp=tmp_path) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_policy_exits_3_with_file_and_line(tmp_path):
    policies = copy_policies(tmp_path)
    (policies / "certifpro" / "politique.yaml").write_text("id: certifpro\nversion: [\n", encoding="utf-8")
    result = serve("--policies", str(policies), "--log", str(tmp_path / "log.sqlite3"), cwd=tmp_path)
    assert result.returncode == 3
    assert "politique.yaml:" in result.stderr and "Traceback" not in result.stderr
