from pathlib import Path

import pytest

from pipeline.settings import SettingsError, load_settings


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
    with pytest.raises(ValueError, match=r"crawl\.download_dely: unknown setting"):
        load_settings()


def test_missing_config_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("NETRA_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(SettingsError, match=r"nope\.toml"):
        load_settings()


def _clean_env(monkeypatch):
    for var in ("NETRA_DATA_DIR", "NETRA_DATABASE_URL", "NETRA_SOURCES", "NETRA_USER_AGENT", "NETRA_NER_MODEL"):
        monkeypatch.delenv(var, raising=False)


def test_each_layer_beats_the_one_below_in_a_section(tmp_path, monkeypatch):
    """default < file < env (long and short names) < flag, inside the nested ``crawl`` section."""
    _clean_env(monkeypatch)
    monkeypatch.delenv("NETRA_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./netra.toml
    assert load_settings().crawl.download_delay == 1.0  # default
    config = tmp_path / "netra.toml"
    config.write_text('[crawl]\ndownload_delay = 2.5\nuser_agent = "file"\n')
    monkeypatch.setenv("NETRA_CONFIG", str(config))
    assert load_settings().crawl.download_delay == 2.5  # file
    monkeypatch.setenv("NETRA_CRAWL__DOWNLOAD_DELAY", "4")
    monkeypatch.setenv("NETRA_USER_AGENT", "env")
    settings = load_settings()
    assert settings.crawl.download_delay == 4.0 and settings.crawl.user_agent == "env"  # env
    assert settings.with_crawl(download_delay=0.5).crawl.download_delay == 0.5  # a command's flag


def test_documented_environment_names(tmp_path, monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.delenv("NETRA_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NETRA_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("NETRA_LOG_FORMAT", "json")
    monkeypatch.setenv("NETRA_SOURCES", "~/s.yaml")
    monkeypatch.setenv("NETRA_NER_MODEL", str(tmp_path / "model"))
    monkeypatch.setenv("NETRA_NER_DATA", str(tmp_path / "ner"))
    monkeypatch.setenv("NETRA_USER_AGENT", "")  # empty: not set
    settings = load_settings()
    assert settings.db_url == "postgresql://u@h/db" and settings.log_format == "json"
    assert settings.crawl.sources_file == Path("~/s.yaml").expanduser()
    assert settings.nlp.ner_model == tmp_path / "model" and settings.nlp.ner_data == tmp_path / "ner"
    assert settings.crawl.user_agent.startswith("NetraBot/")


def test_a_bad_value_names_its_key(tmp_path, monkeypatch):
    config = tmp_path / "netra.toml"
    config.write_text('[crawl]\ndownload_delay = "soon"\n')
    monkeypatch.setenv("NETRA_CONFIG", str(config))
    with pytest.raises(ValueError, match=r"crawl\.download_delay"):
        load_settings()
