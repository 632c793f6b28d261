"""Scrapy extensions: per-source state and health at the end of each crawl."""
