"""Service settings come from CLEA_* variables; malformed values are refused, not guessed."""
import pytest

from engine.service.settings import Settings, parse_size


@pytest.mark.parametrize("text, size", [("512", 512), ("64K", 65536), ("1M", 1048576), ("2g", 2 * 1024 ** 3),
                                        ("10 MiB", 10 * 1024 ** 2)])
def test_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "1.5M", "-1", "10T", "M"])
def test_malformed_sizes_are_refused(text):
    with pytest.raises(ValueError):
        parse_size(text)


def test_environment():
    settings = Settings.from_env({"CLEA_LOG": "/var/lib/clea/log.sqlite3", "CLEA_MAX_BODY": "256K",
                                  "CLEA_LOG_MASK": "faits.mandataire.nom, faits.beneficiaires[*].nom",
                                  "CLEA_RELOAD_TOKEN": "s3cret-de-test-assez-long", "CLEA_LOG_MAX_SIZE": "1G"})
    assert str(settings.log_path) == "/var/lib/clea/log.sqlite3"
    assert settings.max_body_bytes == 256 * 1024 and settings.log_max_bytes == 1024 ** 3
    assert settings.mask_paths == ("faits.mandataire.nom", "faits.beneficiaires[*].nom")
    assert settings.reload_token == "s3cret-de-test-assez-long"
    assert Settings.from_env({}).reload_token is None
