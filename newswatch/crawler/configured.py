"""Where a crawl's components find the newswatch config and store URL.

The CLI puts the loaded `Config` in the settings (NEWSWATCH_CONFIG_OBJECT) and the store URL
in NEWSWATCH_STORE; `scrapy crawl news` has neither, so the config is read from the file
named by NEWSWATCH_CONFIG (setting or environment variable, default newswatch.yaml).
"""

from __future__ import annotations

import os
from functools import lru_cache

from scrapy.settings import BaseSettings

from newswatch.config import Config, load_config


@lru_cache(maxsize=8)
def _load(path: str) -> Config:
    return load_config(path)


def crawl_config(settings: BaseSettings) -> Config:
    config = settings.get("NEWSWATCH_CONFIG_OBJECT")
    if config is not None:
        return config
    path = settings.get("NEWSWATCH_CONFIG") or os.environ.get("NEWSWATCH_CONFIG", "newswatch.yaml")
    return _load(str(path))


def store_url(settings: BaseSettings) -> str:
    return settings.get("NEWSWATCH_STORE") or crawl_config(settings).store
