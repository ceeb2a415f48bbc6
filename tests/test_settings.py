from pathlib import Path

import pytest

from pipeline.settings import load_settings


def test_precedence_defaults_file_env_override(tmp_path, monkeypatch):
    config = tmp_path / "netra.toml"
    config.write_text('data_dir = "/from/file"\n[crawl]\ndownload_delay = 2.5\n')
    monkeypatch.setenv("NETRA_CONFIG", str(config))
    monkeypatch.delenv("NETRA_DATA_DIR", raising=False)
    monkeypatch.delenv("NETRA_DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.data_dir == Path("/from/file") and settings.crawl.download_delay == 2.5
    assert settings.db_url == "sqlite:////from/file/netra.db"
    monkeypatch.setenv("NETRA_DATA_DIR", "/from/env")
    assert load_settings().data_dir == Path("/from/env")
    assert load_settings(data_dir=Path("/from/flag")).raw_dir == Path("/from/flag/raw")


def test_unknown_setting_is_named(tmp_path, monkeypatch):
    config = tmp_path / "netra.toml"
    config.write_text("[crawl]\ndownload_dely = 2\n")
    monkeypatch.setenv("NETRA_CONFIG", str(config))
    with pytest.raises(ValueError, match="download_dely"):
        load_settings()


def test_missing_config_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("NETRA_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(FileNotFoundError, match="nope.toml"):
        load_settings()
